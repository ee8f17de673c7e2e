"""What every document shares: fonts and styles, the numbered footer, key/value tables, barcodes, metadata."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from reports.fonts import BOLD, REGULAR, register_fonts
from reports.i18n import Locale

Output = Path | str | BinaryIO

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6675")
RULE = colors.HexColor("#c9d1db")
BAND = colors.HexColor("#eef2f6")
GOOD = colors.HexColor("#2e7d32")
WARN = colors.HexColor("#c77700")
BAD = colors.HexColor("#c62828")


class DocumentError(RuntimeError):
    """A document could not be made (a value too large for its box, an unwritable file...)."""


class Styles:
    def __init__(self) -> None:
        register_fonts()
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11.5, textColor=INK)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5, textColor=MUTED)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=10)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BOLD)
        self.mono = ParagraphStyle("mono", parent=self.body, fontSize=7, leading=8.5, wordWrap="CJK")
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=BOLD, fontSize=17, leading=21, alignment=TA_LEFT
        )
        self.subtitle = ParagraphStyle("subtitle", parent=self.body, fontSize=9.5, leading=12, textColor=MUTED)
        self.h2 = ParagraphStyle(
            "h2", parent=self.body, fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=9, spaceAfter=4
        )
        self.big = ParagraphStyle("big", parent=self.body, fontName=BOLD, fontSize=13, leading=16)


@functools.cache
def styles() -> Styles:
    return Styles()


def escape(text: object) -> str:
    """Text for a Paragraph, which reads a small XML dialect."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    return Paragraph(escape(text), style or styles().cell)


def kv_table(rows: Sequence[tuple[str, object]], widths: tuple[float, float] = (48 * mm, 128 * mm)) -> Table:
    s = styles()
    table = Table(
        [[Paragraph(escape(k), s.cell_bold), v if isinstance(v, Flowable) else para(v)] for k, v in rows],
        colWidths=widths,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def grid_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], *, repeat: bool = True
) -> Table:
    """A table whose header row repeats on every page it spans."""
    s = styles()
    data: list[list[Any]] = [[Paragraph(escape(h), s.cell_bold) for h in header]]
    data += [[c if isinstance(c, Flowable) else para(c) for c in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1 if repeat else 0, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BACKGROUND", (0, 0), (-1, 0), BAND),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def qr_drawing(value: str, size: float, level: str = "M") -> Drawing:
    # Sized through barWidth/barHeight: asking the widget for its bounds would encode the data a second time.
    widget = QrCodeWidget(value, barLevel=level, barBorder=4, barWidth=size, barHeight=size)
    drawing = Drawing(size, size, initialFontName=REGULAR)
    drawing.add(widget)
    return drawing


def code128_drawing(value: str, *, bar_width: float = 0.33 * mm, bar_height: float = 12 * mm) -> Drawing:
    """A Code 128 symbol with its quiet zones; the scanner reads back exactly ``value``."""
    try:
        drawing: Drawing = createBarcodeDrawing(
            "Code128", value=value, barWidth=bar_width, barHeight=bar_height, humanReadable=False, quiet=True
        )
    except ValueError as exc:
        raise DocumentError(f"{value!r} cannot be encoded as Code 128") from exc
    drawing.initialFontName = REGULAR  # else the drawing names Helvetica, which is never embedded
    return drawing


class _Info(PDFInfo):
    """The document information dictionary, with extra keys (e.g. the signed certificate, machine-readable)."""

    def __init__(self, extra: dict[str, str]) -> None:
        super().__init__()
        self.extra = extra

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
        }
        entries["ModDate"] = entries["CreationDate"] = PDFDate(
            ts=document._timeStamp, dateFormatter=self._dateFormatter
        )
        for key, value in self.extra.items():
            entries[key] = PDFString(value)
        result: bytes = PDFDictionary(entries).format(document)
        return result


def _canvas_maker(loc: Locale, footer: str, extra_info: dict[str, str]) -> Callable[..., Canvas]:
    """A canvas that knows the page count at the end, for "Page n of N", and carries the extra metadata."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc.info = _Info(extra_info)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.setFont(REGULAR, 7)
            self.setFillColor(MUTED)
            self.drawString(15 * mm, 9 * mm, footer)
            self.drawRightString(width - 15 * mm, 9 * mm, loc.t("page", page=self._pageNumber, pages=total))

    return NumberedCanvas


def build_pdf(
    out: Output,
    story: list[Flowable],
    *,
    loc: Locale,
    title: str,
    subject: str,
    footer: str,
    extra_info: dict[str, str] | None = None,
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """Lay the story out on numbered pages; write it to ``out`` and return the PDF's bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Refurb Station",
        subject=subject,
        creator="Refurb Station",
        lang=loc.lang,
        initialFontName=REGULAR,  # else every page names Helvetica, a font the file does not carry
    )
    try:
        document.build(story, canvasmaker=_canvas_maker(loc, footer, extra_info or {}))
    except LayoutError as exc:
        raise DocumentError(f"cannot lay out {title!r}: {exc}") from exc
    pdf = buffer.getvalue()
    write_output(out, pdf)
    return pdf


def write_output(out: Output, pdf: bytes) -> None:
    if isinstance(out, str | Path):
        path = Path(out)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
        except OSError as exc:
            raise DocumentError(f"cannot write {path}: {exc.strerror or exc}") from exc
    else:
        out.write(pdf)
