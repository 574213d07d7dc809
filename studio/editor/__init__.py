"""The YAML pane: `yaml_editor.YamlEditor` (editable, wired to a DocumentSession) on `yaml_view.YamlView`
(gutter, highlighting, go-to-position), with problem marks, handle completion, a find bar, and
`stall.measure_typing_stall` for the benchmark."""
