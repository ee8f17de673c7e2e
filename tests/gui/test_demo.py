"""The demo: people and devices in every interesting state, walked through the real services."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import demo
from app.bench.actions import Tone
from app.gui.application import run_gui, this_laptop_name
from app.gui.main_window import LOOKUP_PAGE, MainWindow
from app.gui.tasks import active_users
from app.station import Station
from audit import services
from audit.history import device_history
from audit.rules.identifiers import is_valid_imei


def test_seed_walks_each_device_to_its_state(station: Station) -> None:
    seeded = demo.seed(station)

    assert seeded.technician == demo.TECHNICIAN
    assert {(p.name, p.role) for p in active_users(station)} == set(demo.USERS)
    with station.uow() as uow:
        histories = {imei: device_history(uow, services.find_device(uow, imei)) for imei in seeded.device_ids}
        chain = services.verify_chain(uow)
    by_state = {history.state: history for history in histories.values()}
    assert sorted(by_state) == ["certified", "graded", "listed", "parts", "quarantined", "repair"]
    assert by_state["quarantined"].make == "Apple"
    assert "icloud" in by_state["quarantined"].state_reason
    assert "82" in by_state["repair"].state_reason
    assert "microphones" in by_state["parts"].state_reason
    assert by_state["listed"].entries[-1].detail == "approved -> listed (queued on backmarket)"
    assert {h.family for h in histories.values()} == {"iphone", "android"}
    assert all(is_valid_imei(imei) for imei in seeded.device_ids)
    assert chain.valid, chain.summary()


def test_the_demo_database_is_fresh_each_time(tmp_path: Path) -> None:
    for _ in range(2):
        station = demo.create_demo_station(tmp_path)
        try:
            with station.uow() as uow:
                assert services.verify_chain(uow).valid
            assert len(active_users(station)) == len(demo.USERS)
        finally:
            station.close()
    assert (tmp_path / "demo.sqlite3").exists()


@pytest.mark.gui
def test_run_gui_simulate_opens_the_demo_signed_in_as_the_technician(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFURB_LANG", "en")
    monkeypatch.setattr(demo, "DEMO_SCAN_AFTER_MS", 0)
    seen: dict[str, str] = {}
    deadline = time.monotonic() + 30

    laptop = f"laptop:{demo.LAPTOP_AGENT}"

    def ready(window: MainWindow) -> bool:
        tile = window.bench.tiles.get(laptop)
        # What the tile shows, not its status: the bench view redraws tiles on a timer, a few events at a time.
        laptop_read = tile is not None and "…" not in tile.battery.text() + tile.locks.text() + tile.action.text()
        return "valid" in window.chain_label.text() and window.lookup.panel.isVisible() and laptop_read

    def look_then_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or (not ready(windows[0]) and time.monotonic() < deadline):
            QTimer.singleShot(10, look_then_close)
            return
        window = windows[0]
        seen["title"] = window.windowTitle()
        seen["database"] = window.database_label.text()
        seen["page"] = window.current_page()
        seen["scanned"] = window.lookup.search.text()
        seen["found"] = window.lookup.panel.fields["imei"].text() if window.lookup.panel.isVisible() else ""
        seen["scanner"] = window.serial_scanner.port if window.serial_scanner is not None else ""
        tile = window.bench.tiles.get(laptop)
        if tile is not None:
            seen.update(laptop=tile.model.text(), place=tile.place.text(), battery=tile.battery.text())
            seen.update(locks=tile.locks.text(), action=tile.action.text())
        seen["drivers"] = window.drivers_label.text()
        window.close()

    QTimer.singleShot(0, look_then_close)
    assert run_gui(station, simulate=True) == 0

    assert seen["title"] == "Refurb Station — theo (Technician)"
    assert seen["database"].endswith(str(station.data_dir / "demo.sqlite3"))
    # The demo's serial scanner (a pty read by the real pyserial driver) scanned the listed iPhone: it is looked up.
    assert seen["scanner"].startswith("/dev/")
    assert (seen["page"], seen["scanned"], seen["found"]) == (LOOKUP_PAGE, demo.DEMO_SCAN, demo.DEMO_SCAN)
    # The laptop agent on the simulated ThinkPad has its own tile, read through the real laptop readers.
    assert seen["laptop"] == "LENOVO ThinkPad T480s"
    assert seen["place"].startswith("Laptop")
    assert seen["battery"] == "⚠ Battery: 80 % health · 312 cycles"
    assert seen["locks"] == "Locks: unknown, check by hand"
    assert seen["action"] == "Locks not readable: check them by hand (mdm)"
    assert "Laptop agent ✓" in seen["drivers"]


def test_this_laptop_is_off_by_default_and_a_flag_of_run() -> None:
    from app.cli import _parser

    assert _parser().parse_args(["run"]).this_laptop is False
    assert _parser().parse_args(["run", "--this-laptop"]).this_laptop is True


@pytest.mark.gui
def test_run_gui_this_laptop_puts_the_machine_it_runs_on_on_the_bench(
    qtbot: QtBot, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real readers on the real machine: what they find depends on it (a CI runner is no laptop and has no DMI
    serial: its tile then says it cannot be identified), but the tile is there and ends on what to do next."""
    monkeypatch.setenv("REFURB_LANG", "en")
    monkeypatch.setattr(demo, "DEMO_SCAN_AFTER_MS", 0)  # a timer left for later would fire in another test
    key = f"laptop:{this_laptop_name()}"
    seen: dict[str, str] = {}
    deadline = time.monotonic() + 60

    def look_then_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        tile = windows[0].bench.tiles.get(key) if windows else None
        working = tile is None or tile.status.tone is Tone.WORKING or "…" in tile.action.text()  # drawn on a timer
        if working and time.monotonic() < deadline:
            QTimer.singleShot(20, look_then_close)
            return
        if tile is not None:
            seen.update(platform=tile.status.platform.value, connection=tile.status.connection)
            seen.update(place=tile.place.text(), action=tile.action.text(), tone=tile.status.tone.value)
        windows[0].close()

    QTimer.singleShot(0, look_then_close)
    assert run_gui(station, simulate=True, this_laptop=True) == 0

    assert (seen["platform"], seen["connection"]) == ("laptop", this_laptop_name())
    assert seen["place"].startswith("Laptop")
    assert seen["tone"] != Tone.WORKING.value, seen["action"]
