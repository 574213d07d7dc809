"""The studio's document model: one per open template, Qt-free (see architecture.md).

It is shared by the canvas, the YAML pane, the inspector and the problems panel; the import-linter
contract and tests/test_headless.py keep Qt out of it.

    document = TemplateDocument.open("template.yaml")      # text kept exactly; sidecar positions loaded
    unsubscribe = document.subscribe(on_event)             # TextChanged / StructureChanged / ...
    edit = RenameStep("fetch", "download")                 # every edit: apply / revert / merge
    edit.apply(document)                                   # minimal text patches, events emitted
    edit.revert(document)                                  # the exact previous text
    document.save()                                        # atomic; untouched files stay byte-identical
"""

from studio.document.edits import (
    DELETE,
    AddStep,
    CompoundEdit,
    Connect,
    Disconnect,
    Edit,
    EditError,
    MoveSteps,
    RemoveStep,
    RenameStep,
    ReplaceText,
    SetField,
)
from studio.document.events import (
    DiagnosticsChanged,
    Event,
    PositionsChanged,
    Reparsed,
    StructureChanged,
    TextChanged,
)
from studio.document.history import History
from studio.document.model import TemplateDocument, compute_validation
from studio.document.sidecar import Sidecar, read_sidecar, write_sidecar

__all__ = [
    "DELETE",
    "AddStep",
    "CompoundEdit",
    "Connect",
    "DiagnosticsChanged",
    "Disconnect",
    "Edit",
    "EditError",
    "Event",
    "History",
    "MoveSteps",
    "PositionsChanged",
    "RemoveStep",
    "RenameStep",
    "Reparsed",
    "ReplaceText",
    "SetField",
    "Sidecar",
    "StructureChanged",
    "TemplateDocument",
    "TextChanged",
    "compute_validation",
    "read_sidecar",
    "write_sidecar",
]
