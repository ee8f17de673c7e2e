"""A barcode scanner in serial mode: the simulated scanner on a pty, the real pyserial driver reading it, and the
window sending each code where a keyboard-wedge scan would go (the active lot, else the lookup)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.gui.lots.lines_model import LotLinesModel
from app.gui.main_window import LOOKUP_PAGE, LOTS_PAGE, MainWindow
from app.gui.serial_scanner import SerialScannerBridge
from app.gui.tasks import Person
from app.station import Station
from drivers.sim.scanner import SimulatedScanner
from tests.audit.bench_flow import IPHONE_IMEI, register
from tests.gui.conftest import GUI, TECH

pytestmark = GUI

WENDY = Person("wendy", "warehouse")
LOT_CSV = f"Modèle;Stockage;État;Prix;Devise;IMEI\niPhone 12;128 Go;Excellent;300,00;EUR;{IPHONE_IMEI}\n"


@pytest.fixture
def scanner() -> Iterator[SimulatedScanner]:
    with SimulatedScanner() as simulated:
        yield simulated


@pytest.fixture
def window(make_window: object, staffed: Station, scanner: SimulatedScanner) -> Iterator[MainWindow]:
    assert callable(make_window)
    window: MainWindow = make_window()
    bridge = SerialScannerBridge(scanner.port, window)
    window.connect_serial_scanner(bridge)
    assert bridge.start()
    yield window
    bridge.close()


def test_a_serial_scan_without_an_active_lot_looks_the_device_up(
    qtbot: QtBot, window: MainWindow, staffed: Station, scanner: SimulatedScanner
) -> None:
    register(staffed.uow)
    window.sign_in(TECH)
    window.show_page(LOTS_PAGE)

    scanner.scan(IPHONE_IMEI)

    qtbot.waitUntil(lambda: window.lookup.panel.isVisible(), timeout=5_000)
    assert window.current_page() == LOOKUP_PAGE
    assert window.lookup.search.text() == IPHONE_IMEI
    assert window.lookup.panel.fields["imei"].text() == IPHONE_IMEI


def test_a_serial_scan_goes_to_the_active_lot(
    qtbot: QtBot, window: MainWindow, staffed: Station, scanner: SimulatedScanner, tmp_path: Path
) -> None:
    register(staffed.uow)
    window.sign_in(WENDY)
    lot_file = tmp_path / "RSA-118.csv"
    lot_file.write_text(LOT_CSV, encoding="utf-8")
    window.lots.partner.setText("Recycle SA")
    window.lots.import_file(lot_file)
    qtbot.waitUntil(lambda: window.lots.lines.rowCount() == 1, timeout=5_000)
    window.show_page(LOOKUP_PAGE)  # the lot takes the scan whatever page is shown

    scanner.scan(f"IMEI: {IPHONE_IMEI}")  # the driver reads the label's prefix away

    device = window.lots.lines.index(0, LotLinesModel.DEVICE)
    qtbot.waitUntil(lambda: device.data() != "—", timeout=5_000)
    assert device.data() == f"Apple iPhone 12 ({IPHONE_IMEI})"
    assert not window.lookup.panel.isVisible()


@pytest.mark.parametrize(
    ("code", "page", "message"),
    [
        pytest.param("LOT-RSA-404", LOTS_PAGE, "No lot RSA-404 on this station.", id="unknown-lot-label"),
        pytest.param("BAY-03", LOOKUP_PAGE, "", id="bay-label-ignored"),
    ],
)
def test_labels_that_are_not_devices(
    qtbot: QtBot, window: MainWindow, scanner: SimulatedScanner, code: str, page: str, message: str
) -> None:
    window.sign_in(TECH)
    window.show_page(page)
    assert window.serial_scanner is not None
    with qtbot.waitSignal(window.serial_scanner.scanned, timeout=5_000) as got:
        scanner.scan(code)
    assert got.args[0].text == code.split("-", 1)[1].lstrip("0")
    assert window.current_page() == page
    assert window.statusBar().currentMessage() == message
    assert not window.lookup.panel.isVisible()
