"""The documents' fonts: Bitstream Vera, shipped inside ReportLab itself, embedded in every PDF.

Vera carries the accents of French, the euro sign and the no-break space, and being part of the ReportLab wheel it
needs no system font package. ReportLab's standard 14 fonts would not be embedded and have no euro in WinAnsi for
every viewer, so they are never used.
"""

from __future__ import annotations

import functools
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "RefurbSans"
BOLD = "RefurbSans-Bold"
ITALIC = "RefurbSans-Italic"
BOLD_ITALIC = "RefurbSans-BoldItalic"

_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}


class FontError(RuntimeError):
    """The embedded font files are missing from the ReportLab installation."""


def font_dir() -> Path:
    return Path(reportlab.__file__).resolve().parent / "fonts"


@functools.cache
def register_fonts() -> str:
    """Register the family once per process; returns the regular font's name."""
    for name, file_name in _FILES.items():
        path = font_dir() / file_name
        if not path.is_file():
            raise FontError(f"font file {path} is missing: reinstall reportlab")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    return REGULAR
