"""Labels: PDF pages the size of the label with a scannable Code 128, and ZPL with the expected commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from reports._layout import DocumentError
from reports.labels import LabelSize, render_labels, zpl_field, zpl_label, zpl_labels
from reports.lot_report import render_lot_report
from tests.reports.factories import label, lot_report
from tests.reports.pdf_tools import pdf_text, read_codes, render_page

MM = 72 / 25.4


@pytest.mark.parametrize(
    ("size", "width_mm", "height_mm"),
    [("62x29", 62, 29), ("4x6", 101.6, 152.4)],
    ids=["62x29", "4x6"],
)
def test_pdf_label_is_the_label_size_and_scans(tmp_path: Path, size: str, width_mm: float, height_mm: float) -> None:
    path = tmp_path / f"label-{size}.pdf"
    render_labels([label(), label(imei="490154203237518", serial="C39XK1ABCDEF")], path, size=size, lang="fr")
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((width_mm * MM, height_mm * MM), abs=0.01)
    text = pdf_text(path)[0]
    for phrase in ("iPhone 12 128 Go", "Bleu", "Très bon état", "91 %", "LOT-2026-042 #1", "356938035643809"):
        assert phrase in text
    codes = read_codes(render_page(path, dpi=300), "Code128")
    assert "356938035643809" in codes
    if size == "4x6":
        assert "F2LXK0ABHG7F" in codes


def test_label_without_imei_uses_the_serial(tmp_path: Path) -> None:
    path = tmp_path / "laptop.pdf"
    render_labels([label(imei=None, model="ThinkPad T14", grade=None, lot=None)], path)
    text = pdf_text(path)[0]
    assert "Not graded" in text
    assert "Lot" not in text
    assert read_codes(render_page(path, dpi=300), "Code128") == ["F2LXK0ABHG7F"]


def test_no_label_no_pdf(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no label"):
        render_labels([], tmp_path / "x.pdf")


def _commands(zpl: str) -> list[str]:
    return re.findall(r"[\^~][A-Z@][A-Z0-9]?[^\^~]*", zpl)


def _unhex(field: str) -> str:
    return re.sub(rb"_([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]), field.encode("ascii")).decode("utf-8")


def _fields(zpl: str) -> list[str]:
    return [_unhex(c[3:]) for c in _commands(zpl) if c.startswith("^FD")]


def test_zpl_small_label_commands() -> None:
    zpl = zpl_label(label(colour="Gris sidéral"), lang="fr")
    commands = _commands(zpl)
    assert commands[0].strip() == "^XA"
    assert commands[-1].strip() == "^XZ"
    assert "^CI28" in [c.strip() for c in commands]  # UTF-8
    assert "^PW496" in [c.strip() for c in commands]
    assert "^LL232" in [c.strip() for c in commands]
    barcode_at = next(i for i, c in enumerate(commands) if c.startswith("^BC"))
    assert commands[barcode_at].strip() == "^BCN,80,N,N,N,A"
    assert commands[barcode_at - 1].startswith("^BY")
    assert commands[barcode_at + 2].strip() == "^FD356938035643809"
    fields = _fields(zpl)
    assert "iPhone 12 128\u00a0Go" in fields
    assert "Gris sidéral - Très bon état - Batterie 91\u00a0%" in fields
    assert "Lot LOT-2026-042 #1" in fields
    assert zpl.isascii()


def test_zpl_shipping_label_has_both_barcodes() -> None:
    zpl = zpl_label(label(), size="4x6")
    commands = [c.strip() for c in _commands(zpl)]
    assert "^PW812" in commands
    assert "^LL1218" in commands
    assert sum(1 for c in commands if c.startswith("^BC")) == 2
    assert {"356938035643809", "F2LXK0ABHG7F"} <= set(_fields(zpl))


def test_zpl_several_labels_are_several_formats() -> None:
    data = zpl_labels([label(), label(imei="490154203237518")])
    assert data.count(b"^XA") == 2
    assert data.count(b"^XZ") == 2


def test_a_caret_in_a_value_cannot_become_a_command() -> None:
    zpl = zpl_label(label(colour="Red^XZ~JA_1"))
    assert zpl.count("^XZ") == 1
    assert "~JA" not in zpl
    assert any("Red^XZ~JA_1" in field for field in _fields(zpl))


@given(st.text(max_size=40))
def test_zpl_field_is_ascii_and_decodes_back(text: str) -> None:
    encoded = zpl_field(text)
    assert encoded.isascii()
    assert "^" not in encoded
    assert "~" not in encoded
    assert _unhex(encoded) == text


def test_label_sizes_in_dots() -> None:
    assert LabelSize("62x29").dots == (496, 232)
    assert LabelSize("4x6").dots == (812, 1218)


def test_every_document_embeds_every_font_it_uses(tmp_path: Path) -> None:
    """A viewer without our fonts must still show accents and the euro: no font may be left out of the file."""
    render_labels([label()], tmp_path / "label.pdf")
    render_lot_report(lot_report(20), tmp_path / "lot.pdf", lang="fr")
    for name in ("label.pdf", "lot.pdf"):
        for page in PdfReader(tmp_path / name).pages:
            for font in page["/Resources"]["/Font"].values():
                assert "/FontDescriptor" in font.get_object(), (name, font.get_object()["/BaseFont"])
