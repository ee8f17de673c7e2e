"""Device labels: PDF for any printer (62 mm x 29 mm roll, 4 x 6 in shipping label) and ZPL II for Zebra printers.

Each label carries the IMEI (else the serial) as Code 128, the model, storage, colour, grade, battery health and lot.
ZPL field data is hex-escaped (``^FH``) so that the label is pure ASCII whatever the colour's accents, and a caret
or tilde in a value can never be read as a command.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from audit.documents import LabelData
from reports._layout import INK, MUTED, DocumentError, Output, code128_drawing, write_output
from reports.fonts import BOLD, REGULAR, register_fonts
from reports.i18n import Locale

ZPL_DPI = 203  # the common Zebra head; 8 dots per mm
_DOTS_PER_MM = ZPL_DPI / 25.4


class LabelSize(enum.StrEnum):
    SMALL = "62x29"  # Brother DK-11209 / Zebra 2.4 x 1.1 in address roll
    SHIPPING = "4x6"  # 4 x 6 in shipping label

    @property
    def points(self) -> tuple[float, float]:
        return (62 * mm, 29 * mm) if self is LabelSize.SMALL else (4 * inch, 6 * inch)

    @property
    def dots(self) -> tuple[int, int]:
        width, height = self.points
        return round(width / mm * _DOTS_PER_MM), round(height / mm * _DOTS_PER_MM)


def label_lines(data: LabelData, loc: Locale) -> tuple[str, str, str]:
    """The label's three lines of text: model and storage; colour, grade and battery; lot."""
    storage = f" {loc.storage(data.storage_gb)}" if data.storage_gb is not None else ""
    title = f"{data.model}{storage}"
    grade = loc.value("grade", data.grade) if data.grade else loc.t("grade.not_graded")
    battery = loc.t("label.battery", soh=loc.percent(data.battery_percent, 0))
    details = " - ".join(part for part in (data.colour, grade, battery) if part)
    lot = loc.t("label.lot", lot=data.lot) if data.lot else ""
    return title, details, lot


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 4 and canvas.stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def _draw_barcode(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> None:
    """Code 128 at the widest module (>= 0.19 mm, what a 203 dpi head prints) that fits the width."""
    for module in (0.5, 0.38, 0.33, 0.25, 0.19):
        drawing = code128_drawing(value, bar_width=module * mm, bar_height=height)
        if drawing.width <= width:
            renderPDF.draw(drawing, canvas, x + (width - drawing.width) / 2, y)
            return
    raise DocumentError(f"the barcode for {value!r} does not fit on the label")


def _draw_small(canvas: Canvas, data: LabelData, loc: Locale) -> None:
    width, height = LabelSize.SMALL.points
    margin = 2 * mm
    title, details, lot = label_lines(data, loc)
    inner = width - 2 * margin
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, _fit(canvas, title, BOLD, 8, inner))
    canvas.drawString(margin, height - margin - 6, title)
    canvas.setFont(REGULAR, _fit(canvas, details, REGULAR, 6, inner))
    canvas.drawString(margin, height - margin - 13, details)
    _draw_barcode(canvas, data.barcode_value, margin, 6.6 * mm, inner, 11 * mm)
    canvas.setFont(REGULAR, 6)
    canvas.drawCentredString(width / 2, 4.3 * mm, data.barcode_value)
    if lot:
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, _fit(canvas, lot, REGULAR, 5.5, inner))
        canvas.drawString(margin, 1.4 * mm, lot)


def _draw_shipping(canvas: Canvas, data: LabelData, loc: Locale) -> None:
    width, height = LabelSize.SHIPPING.points
    margin = 6 * mm
    inner = width - 2 * margin
    title = label_lines(data, loc)[0]
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, _fit(canvas, data.make, BOLD, 14, inner))
    canvas.drawString(margin, height - margin - 14, data.make)
    canvas.setFont(BOLD, _fit(canvas, title, BOLD, 24, inner))
    canvas.drawString(margin, height - margin - 42, title)
    y = height - margin - 70
    grade = loc.value("grade", data.grade) if data.grade else loc.t("grade.not_graded")
    rows = [
        (loc.t("field.grade"), grade + (f" (CTIA {data.ctia})" if data.ctia else "")),
        (loc.t("field.battery"), loc.percent(data.battery_percent, 0)),
        (loc.t("field.colour"), data.colour or loc.t("field.unknown")),
        (loc.t("field.lot"), data.lot or loc.t("field.none")),
    ]
    for key, value in rows:
        canvas.setFont(REGULAR, 11)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, y, key)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, _fit(canvas, value, BOLD, 16, inner - 32 * mm))
        canvas.drawString(margin + 32 * mm, y, value)
        y -= 24
    codes = [(loc.t("field.imei"), data.imei), (loc.t("field.serial"), data.serial)]
    top = y - 10  # below the last row
    for name, value in codes:
        if not value:
            continue
        canvas.setFont(REGULAR, 10)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, top - 10, name)
        _draw_barcode(canvas, value, margin, top - 16 - 20 * mm, inner, 20 * mm)
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, 11)
        canvas.drawCentredString(width / 2, top - 30 - 20 * mm, value)
        top -= 40 + 20 * mm


def render_labels(labels: Sequence[LabelData], out: Output, *, size: str = "62x29", lang: str = "en") -> bytes:
    """One page per label, the page being the label; returns the PDF's bytes."""
    if not labels:
        raise DocumentError("no label to print")
    loc = Locale(lang)
    label_size = LabelSize(size)
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=label_size.points, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(f"{loc.t('label.title')} {labels[0].barcode_value}")
    canvas.setAuthor("Refurb Station")
    for data in labels:
        (_draw_small if label_size is LabelSize.SMALL else _draw_shipping)(canvas, data, loc)
        canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    write_output(out, pdf)
    return pdf


# ---------------------------------------------------------------------------------------------------------------
# ZPL II


def zpl_field(text: str) -> str:
    """Field data for ``^FH^FD``: ASCII kept, everything else (and ^ ~ _) as _XX UTF-8 hex bytes."""
    out = []
    for char in text:
        if char.isascii() and char.isprintable() and char not in "^~_":
            out.append(char)
        else:
            out.extend(f"_{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def _code128_modules(value: str) -> int:
    """Width of a Code 128 symbol in modules (digits pair up in subset C, as ^BC's automatic mode does)."""
    digits_run = value.isdigit() and len(value) >= 4
    symbols = (len(value) + 1) // 2 if digits_run else len(value)
    return 11 * (symbols + 2) + 13 + 20  # data + start + check, stop, two 10-module quiet zones


def _module_for(value: str, width_dots: int) -> int:
    for module in (3, 2, 1):
        if _code128_modules(value) * module <= width_dots:
            return module
    raise DocumentError(f"the barcode for {value!r} does not fit on the label")


def _text(x: int, y: int, height: int, text: str) -> str:
    return f"^FO{x},{y}^A0N,{height},{height}^FH^FD{zpl_field(text)}^FS"


def zpl_label(data: LabelData, *, size: str = "62x29", lang: str = "en") -> str:
    """The label as one ZPL II format (``^XA`` ... ``^XZ``), UTF-8 (``^CI28``), for a 203 dpi printer."""
    loc = Locale(lang)
    label_size = LabelSize(size)
    width, height = label_size.dots
    title, details, lot = label_lines(data, loc)
    value = data.barcode_value
    commands = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    if label_size is LabelSize.SMALL:
        margin = 16
        module = _module_for(value, width - 2 * margin)
        commands += [
            _text(margin, 10, 28, title),
            _text(margin, 42, 20, details),
            f"^FO{margin},68^BY{module}^BCN,80,N,N,N,A^FH^FD{zpl_field(value)}^FS",
            f"^FO{margin},154^FB{width - 2 * margin},1,0,C^A0N,22,22^FH^FD{zpl_field(value)}^FS",
        ]
        if lot:
            commands.append(_text(margin, 196, 20, lot))
    else:
        margin = 48
        grade = loc.value("grade", data.grade) if data.grade else loc.t("grade.not_graded")
        commands += [
            _text(margin, 40, 36, data.make),
            _text(margin, 90, 64, title),
            _text(margin, 190, 36, f"{loc.t('field.grade')}: {grade}" + (f" (CTIA {data.ctia})" if data.ctia else "")),
            _text(margin, 240, 36, f"{loc.t('field.battery')}: {loc.percent(data.battery_percent, 0)}"),
            _text(margin, 290, 36, f"{loc.t('field.colour')}: {data.colour or loc.t('field.unknown')}"),
            _text(margin, 340, 36, f"{loc.t('field.lot')}: {data.lot or loc.t('field.none')}"),
        ]
        y = 440
        for name, code in ((loc.t("field.imei"), data.imei), (loc.t("field.serial"), data.serial)):
            if not code:
                continue
            module = _module_for(code, width - 2 * margin)
            commands += [
                _text(margin, y, 28, name),
                f"^FO{margin},{y + 40}^BY{module}^BCN,160,N,N,N,A^FH^FD{zpl_field(code)}^FS",
                f"^FO{margin},{y + 210}^FB{width - 2 * margin},1,0,C^A0N,32,32^FH^FD{zpl_field(code)}^FS",
            ]
            y += 320
    commands.append("^XZ")
    return "\n".join(commands) + "\n"


def zpl_labels(labels: Sequence[LabelData], *, size: str = "62x29", lang: str = "en") -> bytes:
    return "".join(zpl_label(data, size=size, lang=lang) for data in labels).encode("ascii")
