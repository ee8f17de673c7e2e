"""The people's side of Refurb Station: the PySide6 GUI, the ``refurb-station`` CLI and the wiring."""
