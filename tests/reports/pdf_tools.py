"""Reading documents back the way a person or a scanner would: text with pypdf, pixels with pdftoppm, codes with
zxing-cpp. Missing tools skip the test on a workstation and fail it in CI (where .ci/run installs them)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader


def _need(what: str, why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {why}")
    pytest.skip(f"{what} is not installed: {why}")


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page, whitespace (line breaks, no-break spaces) collapsed to single spaces."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


def render_page(pdf: Path, page: int = 1, dpi: int = 150) -> Image.Image:
    """One page rendered by poppler's pdftoppm, as a greyscale image."""
    if shutil.which("pdftoppm") is None:
        _need("pdftoppm", "apt-get install poppler-utils")
    prefix = pdf.with_name(f"{pdf.stem}-render-{page}")
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png", pdf, prefix],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with Image.open(prefix.with_suffix(".png")) as image:
        return image.convert("L")


def read_codes(image: Image.Image, formats: str = "QRCode") -> list[str]:
    """Every barcode of ``formats`` zxing-cpp finds in the image, as text."""
    try:
        import zxingcpp
    except ImportError:
        _need("zxing-cpp", "pip install zxing-cpp (a dev dependency)")
    found: list[Any] = zxingcpp.read_barcodes(image, formats=zxingcpp.barcode_formats_from_str(formats))
    return [result.text for result in found]


def dark_fraction(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> float:
    """Share of pixels darker than mid-grey, in the whole image or a box (left, top, right, bottom)."""
    region = image.crop(box) if box else image
    histogram = region.histogram()
    dark = sum(histogram[:128])
    return dark / max(1, sum(histogram))
