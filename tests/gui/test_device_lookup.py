"""Device lookup: a scan (text + Enter) is looked up in the pool and the device is shown with its history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.bridge import Bridge, Reply
from app.gui.main_window import MainWindow
from app.station import Station
from audit import services
from audit.errors import NotFound
from audit.history import device_history
from tests.audit.bench_flow import ANDROID_IMEI, IPHONE_IMEI, register, to_certified
from tests.gui.conftest import GUI, TECH

pytestmark = GUI

SCANNED_IPHONE = "35-693803-564380-9"  # IPHONE_IMEI as printed on the box label


@pytest.fixture
def certified(staffed: Station) -> Station:
    to_certified(staffed.uow, register(staffed.uow))
    return staffed


@pytest.fixture
def window(make_window: Callable[[], MainWindow]) -> MainWindow:
    window = make_window()
    window.start(signed_in_as=TECH)
    return window


def is_lookup(reply: Reply) -> bool:
    return reply.topic == "lookup"


def scan(qtbot: QtBot, window: MainWindow, bridge: Bridge, text: str) -> Reply:
    qtbot.keyClicks(window.lookup.search, text)
    with qtbot.waitSignal(bridge.replied, check_params_cb=is_lookup) as blocker:
        qtbot.keyClick(window.lookup.search, Qt.Key.Key_Return)
    reply: Reply = blocker.args[0]
    return reply


def test_focus_starts_in_the_search_field(window: MainWindow) -> None:
    assert window.focusWidget() is window.lookup.search
    assert window.user_label.text() == "Signed in: tech (Technician)"


def test_a_scanned_imei_shows_the_device_and_its_history(
    qtbot: QtBot, certified: Station, window: MainWindow, bridge: Bridge
) -> None:
    reply = scan(qtbot, window, bridge, SCANNED_IPHONE)

    assert reply.ok
    assert reply.ran_off_gui_thread, "the lookup must run in the pool, not on the GUI thread"
    panel = window.lookup.panel
    qtbot.waitUntil(panel.isVisible)
    assert panel.title.text() == f"Apple iPhone 12 ({IPHONE_IMEI})"
    assert panel.state.text().strip() == "Certified"
    assert panel.fields["imei"].text() == IPHONE_IMEI
    assert panel.fields["serial"].text() == "F2LXK0ABHG7F"
    assert panel.reason.text().startswith("certificate ")
    with certified.uow() as uow:
        expected = device_history(uow, services.find_device(uow, IPHONE_IMEI)).entries
    model = panel.history
    assert model.rowCount() == len(expected) > 10
    whats = [model.index(row, model.WHAT).data() for row in range(model.rowCount())]
    assert "battery" in whats
    assert "certificate" in whats
    assert model.index(0, model.WHO).data() == "tech"
    assert model.headerData(model.DETAIL, Qt.Orientation.Horizontal) == "Detail"
    # Ready for the next scan: the text is selected, so scanning again replaces it.
    assert window.lookup.search.selectedText() == SCANNED_IPHONE


def test_an_unknown_imei_says_so(qtbot: QtBot, certified: Station, window: MainWindow, bridge: Bridge) -> None:
    reply = scan(qtbot, window, bridge, ANDROID_IMEI)

    assert isinstance(reply.error, NotFound)
    qtbot.waitUntil(lambda: bool(window.lookup.message.text()) and "Looking" not in window.lookup.message.text())
    assert window.lookup.message.text() == f"No device with IMEI or serial {ANDROID_IMEI}."
    assert not window.lookup.panel.isVisible()


def test_an_invalid_imei_says_why(qtbot: QtBot, staffed: Station, window: MainWindow, bridge: Bridge) -> None:
    scan(qtbot, window, bridge, "356938035643800")

    qtbot.waitUntil(lambda: "not a valid" in window.lookup.message.text())
    assert "Luhn" in window.lookup.message.text()


def test_escape_clears_the_search_and_the_device(
    qtbot: QtBot, certified: Station, window: MainWindow, bridge: Bridge
) -> None:
    scan(qtbot, window, bridge, SCANNED_IPHONE)
    qtbot.waitUntil(window.lookup.panel.isVisible)

    qtbot.keyClick(window.lookup.search, Qt.Key.Key_Escape)

    assert window.lookup.search.text() == ""
    assert not window.lookup.panel.isVisible()
    assert window.focusWidget() is window.lookup.search
