"""The whole path through the window, as a technician and then an auditor would walk it: a simulated iPhone is
plugged in -> its tile shows model and battery -> its page's checklist is answered by keys -> graded -> erased through
the iOS driver (against the simulator) -> certificate -> approved by another person -> handed off: listed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from app.bench.coordinator import BenchConfig, BenchCoordinator, key_of
from app.bench.events import Platform
from app.bench.records import Records
from app.gui.bench_bridge import BenchBridge
from app.gui.bridge import Bridge
from app.gui.device_page.driver_eraser import DriverEraser
from app.gui.main_window import DEVICE_PAGE, MainWindow
from app.station import Station
from audit import services
from audit.models import ErasureRecord
from drivers.sim.android import AdbServerSim
from drivers.sim.ios import IosSimulator, SimIphone
from tests.bench.conftest import _no_real_devices, adb_sim, ios_sim  # noqa: F401 - fixtures shared with the bench
from tests.gui.conftest import GUI, TECH
from tests.gui.test_device_page import answer_everything_by_keys, reloaded

pytestmark = GUI


@pytest.fixture
def station_window(
    qtbot: QtBot,
    staffed: Station,
    bridge: Bridge,
    pool: QThreadPool,
    tmp_path: Path,
    ios_sim: IosSimulator,  # noqa: F811
    adb_sim: AdbServerSim,  # noqa: F811
) -> Iterator[MainWindow]:
    bench_bridge = BenchBridge()
    config = BenchConfig(
        pair_records_dir=tmp_path / "pair-records",
        usbmux_address=ios_sim.address,
        adb_host="127.0.0.1",
        adb_port=adb_sim.port,
        step_timeout=3.0,
        retry_seconds=0.05,
    )
    coordinator = BenchCoordinator(Records(staffed.uow, station="gui-test", actor=TECH.name), bench_bridge.post, config)
    window = MainWindow(staffed, bridge, bench=bench_bridge, eraser=DriverEraser(coordinator))
    qtbot.addWidget(window)
    window.show()
    window.user_changed.connect(lambda person: coordinator.set_actor(person.name))
    window.start(signed_in_as=TECH)
    coordinator.start()
    yield window
    coordinator.close()
    pool.waitForDone()
    window.close()


def test_from_plugged_in_to_listed(
    qtbot: QtBot,
    station_window: MainWindow,
    staffed: Station,
    ios_sim: IosSimulator,  # noqa: F811
) -> None:
    phone = SimIphone.make(0)
    ios_sim.plug(phone)
    key = key_of(Platform.IOS, phone.udid)
    qtbot.waitUntil(
        lambda: key in station_window.bench.tiles and station_window.bench.tiles[key].action.text() == "Ready to grade",
        timeout=15_000,
    )
    tile = station_window.bench.tiles[key]
    assert "%" in tile.battery.text()
    device_id = tile.status.device_id
    assert device_id is not None

    # Enter on the tile opens the device page on the checklist.
    qtbot.keyClick(station_window, Qt.Key.Key_F2)
    with qtbot.waitSignal(station_window.open_device):
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert station_window.current_page() == DEVICE_PAGE
    page = station_window.device_page
    assert page is not None
    qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)

    answer_everything_by_keys(qtbot, page)
    page.checklist.view.setFocus()
    reloaded(
        qtbot, page, lambda: qtbot.keyClick(page.checklist.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    )
    assert page.state.text().strip() == "Inspected", page.checklist.result.text()

    reloaded(qtbot, page, page.grading.grade_button.click)
    assert page.state.text().strip() == "Graded"

    # The erasure goes through the real iOS driver to the simulated iPhone (MCInstall EraseDevice).
    assert page.erasure.method.text() == "Apple erase all content and settings"
    page.erasure.start_button.click()
    qtbot.waitUntil(lambda: page.state.text().strip() == "Certified", timeout=30_000)
    assert page.erasure.certificate.text()
    with staffed.uow() as uow:
        method, status = uow.session.execute(
            sa.select(ErasureRecord.method, ErasureRecord.status).where(ErasureRecord.device_id == device_id)
        ).one()
    assert (method, status) == ("Apple erase all content and settings", "erased")

    # Signed off by an auditor who did none of the work; the colour (which iOS does not report) is recorded by the
    # technician, since the marketplace product depends on it; handed off by the warehouse.
    with staffed.uow() as uow:
        services.approve(uow, "audrey", device_id, "report checked")
    with staffed.uow() as uow:
        services.set_colour(uow, "tech", device_id, "Midnight")
    with staffed.uow() as uow:
        services.hand_off(uow, "wendy", device_id)
    reloaded(qtbot, page, page.reload)
    assert page.state.text().strip() == "Listed"
