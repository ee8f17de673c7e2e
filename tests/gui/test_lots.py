"""The lots page, driven like a person: import the partner's file, scan devices with a keyboard-wedge scanner,
watch the reconciliation fill in, export the report. The scanner filter is tested on its own first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.gui.bridge import Bridge
from app.gui.lots import LotsPage, ScannerFilter
from app.gui.lots import tasks as lot_tasks
from app.gui.lots.lines_model import LotLinesModel
from app.gui.tasks import Person
from app.station import Station
from audit import services
from tests.audit.bench_flow import ANDROID_IMEI, IPHONE_IMEI, inspect, iphone, register
from tests.gui.conftest import GUI, TECH

pytestmark = GUI

WENDY = Person("wendy", "warehouse")
SCANNED_IPHONE = "356938035643809"

LOT_CSV = (
    "\ufeffModèle;Stockage;État;Prix;Devise;IMEI;Chargeur\n"
    f"iPhone 12;128 Go;Excellent;300,00;EUR;{IPHONE_IMEI};\n"
    "iPhone 12;128 Go;Bon état;200,00;EUR;;\n"
    "Pixel 7;128 Go;Bon état;150,00;EUR;;\n"
)


class FakeClock:
    """Seconds that move only when the test says (or by ``step`` at each reading)."""

    def __init__(self, step: float = 0.0) -> None:
        self.now = 100.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


# --- the scanner filter on its own -----------------------------------------------------------------------------


@pytest.fixture
def scoped(qtbot: QtBot) -> Iterator[tuple[QWidget, QLineEdit, QLineEdit, ScannerFilter, FakeClock]]:
    """A scope holding a line edit, a line edit outside it, and a filter on a clock the test drives."""
    outer = QWidget()
    scope = QWidget(outer)
    inside = QLineEdit(scope)
    QVBoxLayout(scope).addWidget(inside)
    outside = QLineEdit(outer)
    layout = QVBoxLayout(outer)
    layout.addWidget(scope)
    layout.addWidget(outside)
    qtbot.addWidget(outer)
    outer.show()
    clock = FakeClock()
    scanner = ScannerFilter(scope, clock=clock)
    scanner.install()
    yield scope, inside, outside, scanner, clock
    scanner.uninstall()


def test_a_burst_ending_in_enter_is_a_scan_and_never_reaches_the_field(qtbot: QtBot, scoped: tuple) -> None:
    _scope, inside, _outside, scanner, _clock = scoped
    with qtbot.waitSignal(scanner.scanned) as blocker, qtbot.assertNotEmitted(inside.returnPressed):
        qtbot.keyClicks(inside, "35-693803-564380-9")
        qtbot.keyClick(inside, "\r")
    assert blocker.args == ["35-693803-564380-9"]
    assert inside.text() == ""


def test_typing_reaches_the_field_in_order_and_enter_is_not_a_scan(qtbot: QtBot, scoped: tuple) -> None:
    _scope, inside, _outside, scanner, clock = scoped
    clock.step = 0.12  # 120 ms between key presses: a person
    with qtbot.assertNotEmitted(scanner.scanned):
        qtbot.keyClicks(inside, "F2LXK0ABHG7F")
        qtbot.waitUntil(lambda: inside.text() == "F2LXK0ABHG7F")
        with qtbot.waitSignal(inside.returnPressed):
            qtbot.keyClick(inside, "\r")


def test_a_short_burst_is_typing(qtbot: QtBot, scoped: tuple) -> None:
    _scope, inside, _outside, scanner, _clock = scoped
    with qtbot.assertNotEmitted(scanner.scanned), qtbot.waitSignal(inside.returnPressed):
        qtbot.keyClicks(inside, "12")
        qtbot.keyClick(inside, "\r")
    assert inside.text() == "12"


def test_a_pause_then_a_burst_scans_only_the_burst(qtbot: QtBot, scoped: tuple) -> None:
    _scope, inside, _outside, scanner, clock = scoped
    qtbot.keyClicks(inside, "ab")
    clock.now += 1.0  # the person stops typing; the scanner fires a second later
    with qtbot.waitSignal(scanner.scanned) as blocker:
        qtbot.keyClicks(inside, "490154203237518")
        qtbot.keyClick(inside, "\r")
    assert blocker.args == [ANDROID_IMEI]
    assert inside.text() == "ab"


def test_backspace_hands_on_what_was_held(qtbot: QtBot, scoped: tuple) -> None:
    _scope, inside, _outside, scanner, _clock = scoped
    with qtbot.assertNotEmitted(scanner.scanned):
        qtbot.keyClicks(inside, "abcdefgh")
        qtbot.keyClick(inside, "\b")
        qtbot.keyClick(inside, "\r")
    assert inside.text() == "abcdefg"


def test_keys_outside_the_scope_are_left_alone(qtbot: QtBot, scoped: tuple) -> None:
    _scope, _inside, outside, scanner, _clock = scoped
    with qtbot.assertNotEmitted(scanner.scanned), qtbot.waitSignal(outside.returnPressed):
        qtbot.keyClicks(outside, SCANNED_IPHONE)
        qtbot.keyClick(outside, "\r")
    assert outside.text() == SCANNED_IPHONE


def test_a_hidden_scope_does_not_listen(qtbot: QtBot, scoped: tuple) -> None:
    scope, inside, _outside, scanner, _clock = scoped
    scope.hide()
    with qtbot.assertNotEmitted(scanner.scanned):
        qtbot.keyClicks(inside, SCANNED_IPHONE)
        qtbot.keyClick(inside, "\r")
    assert inside.text() == SCANNED_IPHONE


# --- the page ----------------------------------------------------------------------------------------------------


@pytest.fixture
def make_page(qtbot: QtBot, staffed: Station, bridge: Bridge, pool: QThreadPool) -> Iterator[Callable[..., LotsPage]]:
    pages: list[LotsPage] = []

    def make(user: Person = WENDY, refresh_ms: int = 60_000) -> LotsPage:
        page = LotsPage(staffed, bridge, user, refresh_ms=refresh_ms)
        page.scanner.clock = FakeClock()  # every burst the test types is as fast as a scanner
        qtbot.addWidget(page)
        pages.append(page)
        page.show()
        return page

    yield make
    for page in pages:
        page.hide()  # stops the refresh timer
    pool.waitForDone()  # no worker may outlive the page's database


@pytest.fixture
def lot_file(tmp_path: Path) -> Path:
    path = tmp_path / "RSA-118.csv"
    path.write_text(LOT_CSV, encoding="utf-8")
    return path


def column(page: LotsPage, col: int) -> list[str]:
    model = page.lines
    return [model.index(row, col).data() for row in range(model.rowCount())]


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    qtbot.keyClicks(field, text)
    qtbot.waitUntil(lambda: field.text() == text)  # held for a moment: it might have been a scan


def imported(qtbot: QtBot, page: LotsPage, lot_file: Path) -> None:
    type_into(qtbot, page.partner, "Recycle SA")
    page.import_file(lot_file)
    qtbot.waitUntil(lambda: page.lines.rowCount() == 3)


def scan_burst(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, "\r")


def test_importing_the_partner_file_shows_the_declared_lines(
    qtbot: QtBot, make_page: Callable[..., LotsPage], lot_file: Path
) -> None:
    page = make_page()
    imported(qtbot, page, lot_file)

    assert page.active_lot == "RSA-118"  # the file's name, as no reference was typed
    assert column(page, LotLinesModel.DECLARED) == [
        "iPhone 12 128 GB, excellent",
        "iPhone 12 128 GB, good",
        "Pixel 7 128 GB, good",
    ]
    assert column(page, LotLinesModel.IDENTIFIER) == [IPHONE_IMEI, "—", "—"]
    assert column(page, LotLinesModel.QUOTED) == ["300.00 EUR", "200.00 EUR", "150.00 EUR"]
    assert set(column(page, LotLinesModel.STATUS)) == {"Not scanned"}
    assert page.message.text() == "Lot RSA-118 received: scan its devices now."
    qtbot.waitUntil(lambda: page.lots.count() == 1)
    assert page.lots.currentText() == "RSA-118 — Recycle SA (0/3)"
    assert page.progress.text() == "0 of 3 scanned · 0 audited · quoted 650.00 EUR · counter-offer 0.00 EUR"
    assert page.export_button.isEnabled()


def test_a_bad_file_lists_every_problem_and_imports_nothing(
    qtbot: QtBot, make_page: Callable[..., LotsPage], tmp_path: Path
) -> None:
    page = make_page()
    bad = tmp_path / "bad.csv"
    bad.write_text(LOT_CSV + "Pixel 8;128;shiny;1,299;EUR;;\n;;Bon état;1,00;EUR;;\n", encoding="utf-8")
    type_into(qtbot, page.partner, "Recycle SA")
    page.import_file(bad)

    qtbot.waitUntil(page.problems.isVisible)
    problems = [page.problems.item(row).text() for row in range(page.problems.count())]
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 5", "line 6"]
    assert "shiny" in problems[0]
    assert page.message.text() == "Nothing imported: 3 problem(s) in the file, listed on the left."
    assert page.active_lot == ""
    with page.station.uow() as uow:
        assert lot_tasks.list_lots(page.station) == ()
        del uow


def test_the_partner_must_be_named(qtbot: QtBot, make_page: Callable[..., LotsPage], lot_file: Path) -> None:
    page = make_page()
    page.import_file(lot_file)
    assert page.message.text() == "Type the partner's name before importing its file."


def test_a_technician_cannot_receive_lots(make_page: Callable[..., LotsPage]) -> None:
    page = make_page(TECH)
    assert not page.import_button.isEnabled()
    assert "warehouse" in page.import_button.toolTip()


def test_a_scan_anywhere_on_the_page_goes_to_the_active_lot(
    qtbot: QtBot, staffed: Station, make_page: Callable[..., LotsPage], lot_file: Path
) -> None:
    page = make_page()
    imported(qtbot, page, lot_file)
    device_id = register(staffed.uow)
    page.partner.setFocus()

    scan_burst(qtbot, page.partner, SCANNED_IPHONE)  # the scanner fires while the cursor is in the partner field

    qtbot.waitUntil(lambda: column(page, LotLinesModel.DEVICE)[0] != "—")
    assert column(page, LotLinesModel.DEVICE)[0] == f"Apple iPhone 12 ({IPHONE_IMEI})"
    assert column(page, LotLinesModel.STATUS)[0] == "Scanned, awaiting audit"
    assert page.partner.text() == "Recycle SA"  # the scan never reached the field
    qtbot.waitUntil(lambda: "line 1" in page.message.text())
    assert page.message.text() == f"Apple iPhone 12 ({IPHONE_IMEI}) → line 1."
    assert page.progress.text().startswith("1 of 3 scanned")

    with qtbot.waitSignal(page.open_device) as blocker:
        page.table.doubleClicked.emit(page.lines.index(0, 0))
    assert blocker.args == [device_id]


def test_the_scan_field_takes_typed_identifiers(
    qtbot: QtBot, staffed: Station, make_page: Callable[..., LotsPage], lot_file: Path
) -> None:
    page = make_page()
    imported(qtbot, page, lot_file)
    register(staffed.uow, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"))
    page.scanner.clock = FakeClock(step=0.15)  # typed by a person this time

    qtbot.keyClicks(page.scan_field, "f2lxk0abhg7g")
    qtbot.waitUntil(lambda: page.scan_field.text() == "f2lxk0abhg7g")
    qtbot.keyClick(page.scan_field, "\r")

    qtbot.waitUntil(lambda: column(page, LotLinesModel.DEVICE)[1] != "—")
    assert column(page, LotLinesModel.DEVICE)[1] == f"Apple iPhone 12 ({ANDROID_IMEI})"
    assert page.scan_field.text() == ""


@pytest.mark.parametrize(
    ("register_first", "scan", "message"),
    [
        pytest.param(False, ANDROID_IMEI, "plug it in at the bench", id="unknown-device"),
        pytest.param(False, "356938035643800", "fails the Luhn check", id="bad-imei"),
        pytest.param(True, "F2LXK0ABHG7X", "no device with IMEI or serial F2LXK0ABHG7X", id="unknown-serial"),
    ],
)
def test_scan_problems_are_said_in_red(
    qtbot: QtBot,
    staffed: Station,
    make_page: Callable[..., LotsPage],
    lot_file: Path,
    register_first: bool,
    scan: str,
    message: str,
) -> None:
    page = make_page()
    imported(qtbot, page, lot_file)
    if register_first:
        register(staffed.uow)
    scan_burst(qtbot, page.table, scan)
    qtbot.waitUntil(lambda: message in page.message.text())
    assert "color: #b3261e" in page.message.styleSheet()


def test_a_scan_without_an_active_lot_is_not_lost_silently(qtbot: QtBot, make_page: Callable[..., LotsPage]) -> None:
    page = make_page()
    scan_burst(qtbot, page.table, SCANNED_IPHONE)
    assert page.message.text() == f"Choose or import a lot before scanning: {SCANNED_IPHONE} was not recorded."


def test_reconciliation_fills_in_as_devices_are_graded(
    qtbot: QtBot, staffed: Station, make_page: Callable[..., LotsPage], lot_file: Path, tmp_path: Path
) -> None:
    page = make_page(refresh_ms=50)
    imported(qtbot, page, lot_file)
    device_id = register(staffed.uow, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"))
    scan_burst(qtbot, page.table, ANDROID_IMEI)
    qtbot.waitUntil(lambda: column(page, LotLinesModel.STATUS)[1] == "Scanned, awaiting audit")

    # Meanwhile at the bench: the device is inspected and graded; the page's timer picks it up.
    inspect(staffed.uow, device_id)
    with staffed.uow() as uow:
        services.grade_device(uow, "tech", device_id, genuine_parts=True)

    qtbot.waitUntil(lambda: column(page, LotLinesModel.STATUS)[1] == "Match")
    assert column(page, LotLinesModel.ADJUSTED)[1] == "200.00 EUR"
    assert "the audit matches the declaration" in column(page, LotLinesModel.REASONS)[1]
    assert page.progress.text() == "1 of 3 scanned · 1 audited · quoted 650.00 EUR · counter-offer 200.00 EUR"

    exported = tmp_path / "out" / "lot.csv"
    exported.parent.mkdir()
    page.export_report(exported)
    qtbot.waitUntil(lambda: "saved" in page.message.text())
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["line", "declared model", "declared storage GB"]
    assert rows[2][0] == "2"
    assert rows[2][8:10] == ["match", "200.00"]
    assert ["counter-offer total", "200.00", "EUR"] in rows


def test_the_pdf_lot_report_is_used_when_installed(
    qtbot: QtBot, make_page: Callable[..., LotsPage], lot_file: Path, tmp_path: Path
) -> None:
    if not lot_tasks.pdf_report_available():
        pytest.skip("reports.lot_report is not installed")
    page = make_page()
    imported(qtbot, page, lot_file)
    target = tmp_path / "lot.pdf"
    page.export_report(target)
    qtbot.waitUntil(lambda: "saved" in page.message.text() or "not saved" in page.message.text())
    assert page.message.text() == f"Lot report saved: {target}"
    assert target.read_bytes().startswith(b"%PDF")
