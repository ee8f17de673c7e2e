"""The main window brings the pages together: a device opens on its page, and with a lot active a scanner burst
anywhere in the window goes to that lot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.main_window import AUDITOR_PAGE, DEVICE_PAGE, LISTINGS_PAGE, LOOKUP_PAGE, LOTS_PAGE, MainWindow
from app.gui.tasks import Person
from app.station import Station
from audit import services
from tests.audit.bench_flow import inspect, register
from tests.gui.conftest import GUI

pytestmark = GUI


def test_every_page_is_there_and_a_device_opens_on_its_page(
    qtbot: QtBot, staffed: Station, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.sign_in(Person("tech", "technician"))
    for name in (LOOKUP_PAGE, LOTS_PAGE, AUDITOR_PAGE):
        window.show_page(name)
        assert window.current_page() == name
    device_id = register(staffed.uow)
    window.open_device.emit(device_id)
    assert window.current_page() == DEVICE_PAGE
    page = window.device_page
    assert page is not None
    qtbot.waitUntil(lambda: "iPhone 12" in page.title.text(), timeout=10_000)
    window.open_device.emit(device_id)  # opening again replaces the page, never stacks a second one
    assert window.pages.count() == 6


def test_a_scanner_burst_on_another_page_goes_to_the_active_lot(
    qtbot: QtBot, staffed: Station, make_window: Callable[[], MainWindow]
) -> None:
    with staffed.uow() as uow:
        services.receive_lot(
            uow,
            "wendy",
            reference="LOT-7",
            partner="Recycle SA",
            quoted_on=date.today(),
            lines=[services.DeclaredLine("iPhone 12", 128, "excellent", "300", identifier="356938035643809")],
        )
    device_id = register(staffed.uow)
    inspect(staffed.uow, device_id)
    window = make_window()
    window.sign_in(Person("wendy", "warehouse"))
    window.show_page(LOTS_PAGE)
    window.lots.set_active_lot("LOT-7")
    window.show_page(LOOKUP_PAGE)
    with qtbot.waitSignal(window.scanner.scanned, timeout=5_000) as scanned:
        qtbot.keyClicks(window.lookup.search, "356938035643809")
        qtbot.keyClick(window.lookup.search, Qt.Key.Key_Return)
    assert scanned.args == ["356938035643809"]
    assert window.lookup.search.text() == ""  # the burst went to the lot, not into the field
    from audit.models import LotItem

    def linked() -> bool:
        with staffed.uow() as uow:
            item = uow.session.query(LotItem).one()
            return item.device_id == device_id

    qtbot.waitUntil(linked, timeout=10_000)


def test_the_listings_page_shows_each_listing_and_its_state(
    qtbot: QtBot, staffed: Station, make_window: Callable[[], MainWindow]
) -> None:
    from tests.audit.bench_flow import to_certified

    device_id = register(staffed.uow)
    to_certified(staffed.uow, device_id)
    with staffed.uow() as uow:
        services.approve(uow, "audrey", device_id, "ok")
    with staffed.uow() as uow:
        services.hand_off(uow, "wendy", device_id)
    window = make_window()
    window.sign_in(Person("wendy", "warehouse"))
    window.show_page(LISTINGS_PAGE)
    page = window.listings
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 1).data() == "IPHONE-12-128GB-BLUE-PREMIUM"
    assert page.model.index(0, 4).data() == "pending"
    assert page.summary.text() == "1 listing(s): 1 pending"
    with qtbot.waitSignal(window.open_device) as opened:
        page.view.doubleClicked.emit(page.model.index(0, 0))
    assert opened.args == [device_id]
