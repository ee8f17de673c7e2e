"""The laptop agent's tile on the bench view: the real laptop readers on the simulated laptop, the real coordinator, a
real SQLite file, driven by keys as a technician would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bench.coordinator import BenchConfig, BenchCoordinator, key_of
from app.bench.events import Platform
from app.bench.records import Records
from app.gui.application import attach_laptop
from app.gui.bench_bridge import BenchBridge
from app.gui.bridge import Bridge
from app.gui.main_window import BENCH_PAGE, DEVICE_PAGE, MainWindow
from app.gui.settings import Language, Settings
from app.station import Station
from audit.models import FunctionalRecord, Inspection
from audit.readings import DeviceFamily
from audit.rules.functional import load_test_plan
from drivers.sim.laptop import SimLaptop
from tests.bench.conftest import _no_real_devices  # noqa: F401 - no real usbmuxd or adb server
from tests.bench.test_laptop_agent import machine_of
from tests.gui.conftest import GUI, TECH
from tests.gui.test_device_page import answer_everything_by_keys

pytestmark = GUI

AGENT = "gui-laptop"
KEY = key_of(Platform.LAPTOP, AGENT)
LOCKS_TO_CHECK = "Locks not readable: check them by hand (mdm)"


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Language]:
    language = Language(qapp)
    yield language
    language.remove()


@pytest.fixture
def laptop_bench(
    qtbot: QtBot, staffed: Station, bridge: Bridge, pool: QThreadPool, language: Language, tmp_path: Path
) -> Iterator[tuple[MainWindow, BenchCoordinator]]:
    bench_bridge = BenchBridge()
    settings = Settings.in_data_dir(tmp_path / "settings")
    window = MainWindow(staffed, bridge, bench=bench_bridge, settings=settings, language=language)
    qtbot.addWidget(window)
    window.show()
    config = BenchConfig(pair_records_dir=tmp_path / "pair-records", ios=False, android=False, retry_seconds=0.05)
    coordinator = BenchCoordinator(Records(staffed.uow, station="gui-test", actor=TECH.name), bench_bridge.post, config)
    window.start(signed_in_as=TECH)
    coordinator.start()
    attach_laptop(coordinator, machine_of(SimLaptop(tmp_path / "laptop")), AGENT)
    yield window, coordinator
    coordinator.close()
    pool.waitForDone()
    window.close()


def test_the_laptop_tile_shows_identity_battery_locks_and_what_to_do(
    qtbot: QtBot, laptop_bench: tuple[MainWindow, BenchCoordinator]
) -> None:
    window, _coordinator = laptop_bench
    qtbot.waitUntil(lambda: KEY in window.bench.tiles and window.bench.tiles[KEY].action.text() == LOCKS_TO_CHECK)
    tile = window.bench.tiles[KEY]

    assert tile.model.text() == "LENOVO ThinkPad T480s"
    assert tile.place.text().startswith("Laptop · ")  # not labelled Android
    assert tile.detail.text() == "512 GB · PF1ABCDE"
    # 45.87 / 57.02 Wh: 80 %, "replace before sale" for a laptop (flagged, like a phone's)
    assert tile.battery.text() == "⚠ Battery: 80 % health · 312 cycles"
    assert tile.locks.text() == "Locks: unknown, check by hand"
    assert tile.status.tone.value == "waiting"
    assert "Laptop agent ✓" in window.drivers_label.text()

    window.french_action.trigger()
    qtbot.waitUntil(lambda: tile.place.text().startswith("Ordinateur portable · "))
    assert "Agent portable ✓" in window.drivers_label.text()
    window.english_action.trigger()


def test_enter_on_the_laptop_tile_opens_its_page_with_the_laptop_plan_answered_by_keys(
    qtbot: QtBot, laptop_bench: tuple[MainWindow, BenchCoordinator], staffed: Station
) -> None:
    window, _coordinator = laptop_bench
    qtbot.waitUntil(lambda: KEY in window.bench.tiles and window.bench.tiles[KEY].action.text() == LOCKS_TO_CHECK)
    tile = window.bench.tiles[KEY]
    device_id = tile.status.device_id

    qtbot.keyClick(window, Qt.Key.Key_F2)  # the bench, first tile focused
    assert window.focusWidget() is tile
    with qtbot.waitSignal(window.open_device) as opened:
        qtbot.keyClick(tile, Qt.Key.Key_Return)

    assert opened.args == [device_id]
    assert window.current_page() == DEVICE_PAGE
    page = window.device_page
    assert page is not None
    qtbot.waitUntil(lambda: "ThinkPad T480s" in page.title.text() and page.checklist.model.rowCount() > 0)
    plan = load_test_plan(DeviceFamily.LAPTOP)
    model = page.checklist.model
    assert [model.step(row).test_id for row in range(model.rowCount())] == [s.test_id for s in plan.steps]
    answered = {model.step(row).test_id for row in range(model.rowCount()) if model.answer(row) is not None}
    assert answered == {"battery", "storage_health"}  # what the agent vouched for; the rest is the technician's

    answer_everything_by_keys(qtbot, page)

    with staffed.engine.connect() as connection:
        recorded = set(
            connection.execute(
                sa.select(FunctionalRecord.test_id)
                .join(Inspection, Inspection.id == FunctionalRecord.inspection_id)
                .where(Inspection.device_id == device_id)
            ).scalars()
        )
    assert recorded == {step.test_id for step in plan.steps}


def test_detaching_the_agent_removes_the_tile_and_saves_the_inspection_as_interrupted(
    qtbot: QtBot, laptop_bench: tuple[MainWindow, BenchCoordinator], staffed: Station
) -> None:
    window, coordinator = laptop_bench
    qtbot.waitUntil(lambda: KEY in window.bench.tiles and window.bench.tiles[KEY].status.device_id is not None)
    assert window.current_page() == BENCH_PAGE

    coordinator.detach_agent(AGENT)

    qtbot.waitUntil(lambda: KEY not in window.bench.tiles)
    qtbot.waitUntil(lambda: window.bench.summary.text() == "Bench: no device")
    with staffed.engine.connect() as connection:
        assert [s for (s,) in connection.execute(sa.select(Inspection.status))] == ["interrupted"]
