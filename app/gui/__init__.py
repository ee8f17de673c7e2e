"""The station's windows (PySide6). Qt lives here and nowhere else; work runs in a pool behind ``bridge``."""
