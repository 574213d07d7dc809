"""Configuration schemas of the builtin µTask action plugins, one JSON file per plugin."""
