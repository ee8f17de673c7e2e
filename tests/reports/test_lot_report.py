"""The lot report: summary counts, a reconciliation table whose header repeats on every page, the counter-offer,
and a page of charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.documents import LotReportData, lot_report_data
from reports.i18n import Locale
from reports.lot_report import nice_step, render_lot_report, soh_histogram
from tests.reports.conftest import Bench
from tests.reports.factories import lot_report
from tests.reports.pdf_tools import dark_fraction, pdf_text, render_page


@pytest.fixture(scope="module")
def big_lot() -> LotReportData:
    return lot_report(500)


@pytest.fixture(scope="module")
def big_pdf(big_lot: LotReportData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lot") / "lot-fr.pdf"
    render_lot_report(big_lot, path, lang="fr")
    return path


def test_every_table_page_repeats_the_header(big_pdf: Path, big_lot: LotReportData) -> None:
    pages = pdf_text(big_pdf)
    assert len(pages) > 10
    table_pages, chart_page = pages[:-1], pages[-1]
    header = "N° Déclaré Audité Batterie Devis Proposé Verdict Motifs"
    assert all(header in page for page in table_pages)
    assert header not in chart_page
    assert "Répartition des grades audités" in chart_page
    assert "Santé batterie" in chart_page
    text = " ".join(pages)
    for line in (big_lot.lines[0], big_lot.lines[249], big_lot.lines[-1]):
        assert f"{line.declared_model} · {line.declared_storage_gb} Go" in text
    assert all(f"Page {n} sur {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_summary_and_counter_offer_in_french(big_pdf: Path, big_lot: LotReportData) -> None:
    first = pdf_text(big_pdf)[0]
    loc = Locale("fr")
    assert f"Total de la contre-offre {loc.money(big_lot.counter_offer_total)}".replace("\u00a0", " ") in first
    assert f"Total du devis {loc.money(big_lot.quoted_total)}".replace("\u00a0", " ") in first
    assert "€" in first
    assert "Appareils déclarés 500" in first
    refused = dict(big_lot.counts_by_status())["refused"]
    assert f"refusé {refused}" in first
    assert "85 % ou plus" in first
    assert "de 80 % à 85 %" in first


def test_the_chart_page_has_ink(big_pdf: Path) -> None:
    pages = len(pdf_text(big_pdf))
    image = render_page(big_pdf, page=pages, dpi=60)
    width, height = image.size
    assert dark_fraction(image, (0, int(height * 0.15), width // 2, int(height * 0.75))) > 0.05  # grade bars
    assert dark_fraction(image, (width // 2, int(height * 0.15), width, int(height * 0.75))) > 0.05  # SoH bars


def test_lot_from_the_records_in_english(shared_bench: Bench, tmp_path: Path) -> None:
    with shared_bench.uow() as uow:
        data = lot_report_data(uow, shared_bench.lot_reference)
    path = tmp_path / "lot.pdf"
    render_lot_report(data, path)
    pages = pdf_text(path)
    assert len(pages) == 2
    text = pages[0]
    assert "Reprise Société Générale d'Électronique" in text
    assert "Counter-offer total €279.00" in text
    assert "Quoted total €460.00" in text
    assert "1 line(s) not valued" in text
    assert "graded Very good, declared Excellent" in text
    assert "not audited" in text


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], [0] * 9),
        ([59.9, 60.0, 64.99, 65.0, 99.9, 100.0, 104.0], [1, 2, 1, 0, 0, 0, 0, 0, 3]),
        ([85.0, 84.9], [0, 0, 0, 0, 0, 1, 1, 0, 0]),
    ],
    ids=["empty", "edges", "channel-line"],
)
def test_soh_histogram_bins(values: list[float], expected: list[int]) -> None:
    labels, counts = soh_histogram(values, Locale("en"))
    assert labels[0] == "<60"
    assert labels[-1] == "95–100"
    assert counts == expected


@pytest.mark.parametrize(("top", "step"), [(0, 1), (5, 1), (7, 2), (57, 10), (103, 20), (392, 100)])
def test_axis_steps_are_round(top: int, step: int) -> None:
    assert nice_step(top) == step
