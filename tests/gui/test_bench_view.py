"""The bench view on the real coordinator, the simulated iPhones and Android phones, and a real SQLite file: tiles
appear, say what was read and what to do, disappear on unplug; settings by keys; the window remembers itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from app.bench.coordinator import BenchConfig, BenchCoordinator, key_of
from app.bench.events import Platform
from app.bench.records import Records
from app.gui.bench_bridge import BenchBridge
from app.gui.bridge import Bridge
from app.gui.device_tile import DeviceTile
from app.gui.main_window import DEVICE_PAGE, MainWindow
from app.gui.settings import LABEL_PRINTER, LANGUAGE, SALES_CHANNEL, Language, Settings
from app.station import Station
from audit.models import Inspection
from drivers.ios.models import load_catalogue
from drivers.sim.android import AdbServerSim
from drivers.sim.android_phone import SimPhone, luhn_complete
from drivers.sim.ios import IosSimulator, SimIphone
from tests.bench.conftest import _no_real_devices, adb_sim, ios_sim  # noqa: F401 - fixtures shared with the bench
from tests.gui.conftest import GUI, TECH

pytestmark = GUI


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.in_data_dir(tmp_path / "settings")


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Language]:
    language = Language(qapp)
    yield language
    language.remove()


@pytest.fixture
def bench_window(
    qtbot: QtBot,
    staffed: Station,
    bridge: Bridge,
    pool: QThreadPool,
    settings: Settings,
    language: Language,
    tmp_path: Path,
    ios_sim: IosSimulator,  # noqa: F811
    adb_sim: AdbServerSim,  # noqa: F811
) -> Iterator[MainWindow]:
    bench_bridge = BenchBridge()
    window = MainWindow(staffed, bridge, bench=bench_bridge, settings=settings, language=language)
    qtbot.addWidget(window)
    window.show()
    config = BenchConfig(
        pair_records_dir=tmp_path / "pair-records",
        usbmux_address=ios_sim.address,
        adb_host="127.0.0.1",
        adb_port=adb_sim.port,
        step_timeout=3.0,
        retry_seconds=0.05,
    )
    coordinator = BenchCoordinator(Records(staffed.uow, station="gui-test", actor=TECH.name), bench_bridge.post, config)
    window.user_changed.connect(lambda person: coordinator.set_actor(person.name))
    window.start(signed_in_as=TECH)
    coordinator.start()
    yield window
    coordinator.close()
    pool.waitForDone()
    window.close()


def tile_of(window: MainWindow, key: str) -> DeviceTile:
    return window.bench.tiles[key]


def wait_for_tile(qtbot: QtBot, window: MainWindow, key: str, check: Callable[[DeviceTile], bool]) -> DeviceTile:
    qtbot.waitUntil(lambda: key in window.bench.tiles and check(window.bench.tiles[key]), timeout=15_000)
    return window.bench.tiles[key]


def inspection_statuses(station: Station) -> list[tuple[int, str]]:
    with station.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(Inspection.id, Inspection.status))]  # type: ignore[misc]


def test_an_attached_iphone_shows_its_model_and_battery(
    qtbot: QtBot,
    bench_window: MainWindow,
    ios_sim: IosSimulator,  # noqa: F811
) -> None:
    phone = SimIphone.make(0)
    ios_sim.plug(phone)
    key = key_of(Platform.IOS, phone.udid)

    tile = wait_for_tile(qtbot, bench_window, key, lambda t: t.action.text() == "Ready to grade")

    expected_model = load_catalogue().lookup(phone.product_type)
    assert expected_model is not None
    assert tile.model.text() == expected_model.name
    battery = phone.battery or {}
    soh = 100 * battery["NominalChargeCapacity"] / battery["DesignCapacity"]
    assert tile.battery.text() == f"Battery: {soh:.0f} % health · {battery['CycleCount']} cycles"
    assert tile.locks.text() == "Locks: none"
    assert not tile.progress.isVisible()
    assert bench_window.bench.summary.text() == "Bench: 1 device(s)"
    assert bench_window.current_page() == "bench"


def test_a_locked_android_phone_ends_quarantined_with_the_right_message(
    qtbot: QtBot,
    bench_window: MainWindow,
    adb_sim: AdbServerSim,  # noqa: F811
    staffed: Station,
) -> None:
    phone = SimPhone(
        serial="R5CRGUI00001",
        profile="samsung",
        imei=luhn_complete("35411812700001"),
        accounts=[("someone@gmail.com", "com.google")],
    )
    adb_sim.plug(phone)
    key = key_of(Platform.ANDROID, phone.serial)

    message = "Google account present: ask the owner to remove it"
    tile = wait_for_tile(qtbot, bench_window, key, lambda t: t.action.text() == message)

    assert tile.locks.text() == "Locked: Google account"
    assert "Quarantined" in tile.place.text()
    assert "need(s) you" in bench_window.bench.summary.text()
    with staffed.engine.connect() as connection:
        state, reason = connection.execute(sa.text("SELECT state, state_reason FROM devices")).one()
    assert (state, reason) == ("quarantined", "locked: google_frp")

    # The language switch redraws the tiles (state names come from the French catalogue).
    bench_window.french_action.trigger()
    qtbot.waitUntil(lambda: "En quarantaine" in tile.place.text())
    bench_window.english_action.trigger()
    qtbot.waitUntil(lambda: "Quarantined" in tile.place.text())


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # see tests/bench: iOS driver leak
def test_an_unplug_mid_step_leaves_an_interrupted_inspection_that_resumes_on_replug(
    qtbot: QtBot,
    bench_window: MainWindow,
    ios_sim: IosSimulator,  # noqa: F811
    staffed: Station,
) -> None:
    phone = SimIphone.make(2, answer_delay=0.05)
    ios_sim.plug(phone)
    key = key_of(Platform.IOS, phone.udid)
    wait_for_tile(qtbot, bench_window, key, lambda t: t.status.step == "battery" and t.progress.isVisible())

    ios_sim.unplug(phone)
    qtbot.waitUntil(lambda: key not in bench_window.bench.tiles, timeout=15_000)
    qtbot.waitUntil(lambda: [s for _, s in inspection_statuses(staffed)] == ["interrupted"], timeout=15_000)
    [(interrupted, _)] = inspection_statuses(staffed)
    qtbot.waitUntil(lambda: bench_window.bench.summary.text() == "Bench: no device")

    phone.answer_delay = 0
    ios_sim.plug(phone)
    wait_for_tile(qtbot, bench_window, key, lambda t: t.action.text() == "Ready to grade")
    assert inspection_statuses(staffed) == [(interrupted, "open")]


def test_enter_on_a_tile_opens_the_device(
    qtbot: QtBot,
    bench_window: MainWindow,
    ios_sim: IosSimulator,  # noqa: F811
) -> None:
    phone = SimIphone.make(3)
    ios_sim.plug(phone)
    tile = wait_for_tile(
        qtbot, bench_window, key_of(Platform.IOS, phone.udid), lambda t: t.status.device_id is not None
    )
    device_id = tile.status.device_id

    qtbot.keyClick(bench_window, Qt.Key.Key_F2)  # the bench, first tile focused
    assert bench_window.focusWidget() is tile
    with qtbot.waitSignal(bench_window.open_device) as opened:
        qtbot.keyClick(tile, Qt.Key.Key_Return)

    assert opened.args == [device_id]
    assert bench_window.current_page() == DEVICE_PAGE
    page = bench_window.device_page
    assert page is not None
    qtbot.waitUntil(lambda: "iPhone" in page.title.text(), timeout=10_000)


def test_the_settings_dialog_by_keys(
    qtbot: QtBot, bench_window: MainWindow, settings: Settings, language: Language
) -> None:
    qtbot.keyClick(bench_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = bench_window.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    printer = dialog.editors[LABEL_PRINTER.key]
    assert isinstance(printer, QLineEdit)
    printer.setFocus()
    qtbot.keyClicks(printer, "zebra.local:9100")
    channel = dialog.editors[SALES_CHANNEL.key]
    assert isinstance(channel, QComboBox)
    assert channel.currentData() == SALES_CHANNEL.default
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(printer, Qt.Key.Key_Return)

    assert settings.value(LABEL_PRINTER) == "zebra.local:9100"
    assert (
        Settings(type(settings.store)(settings.store.fileName(), settings.store.format())).value(LABEL_PRINTER)
        == "zebra.local:9100"
    )  # on disk, not only in memory
    assert settings.value(LANGUAGE) == "system"

    qtbot.keyClick(bench_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(dialog.isVisible)
    assert printer.text() == "zebra.local:9100"  # read back when opened again
    qtbot.keyClick(printer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_the_window_remembers_its_size(
    qtbot: QtBot, staffed: Station, bridge: Bridge, settings: Settings, pool: QThreadPool
) -> None:
    first = MainWindow(staffed, bridge, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(712, 534)
    qtbot.waitUntil(lambda: first.size().width() == 712)
    first.close()

    second = MainWindow(staffed, bridge, settings=settings)
    qtbot.addWidget(second)
    assert (second.size().width(), second.size().height()) == (712, 534)
    pool.waitForDone()
