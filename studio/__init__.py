"""µTask Studio: the PySide6 desktop application (Qt lives here, never in `engine`)."""
