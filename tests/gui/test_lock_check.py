"""A lock the phone could not tell, checked by hand from the Locks tab the way a technician does it: the button, Off,
the note, Enter; then the inspection finishes. Real SQLite, real services, a real thread pool behind the bridge."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.bridge import Bridge
from app.gui.device_page import DevicePage
from app.gui.device_page.readings_tabs import LockCheckDialog
from app.gui.states import RED
from app.gui.tasks import Person
from app.station import Station
from audit import services
from audit.readings import LockCheck, LockKind, LockState, LockStatus
from tests.audit.bench_flow import NA, OFF
from tests.gui.conftest import GUI, TECH
from tests.gui.test_device_page import answer_everything_by_keys, reloaded, start_with_driver_readings, state_of

pytestmark = GUI

FMIP_UNKNOWN = LockStatus(
    source="lockdown",
    icloud=LockCheck(LockState.UNKNOWN, "Setup Assistant: Find My may read false, check required"),
    google_frp=NA,
    samsung=NA,
    mdm=OFF,
)
NOTE = "Settings > Apple ID: signed out; activation server says unlocked"


@pytest.fixture
def open_as(qtbot: QtBot, staffed: Station, bridge: Bridge, pool: object) -> Iterator[Callable[..., DevicePage]]:
    pages: list[DevicePage] = []

    def open_(device_id: int, user: Person = TECH) -> DevicePage:
        with qtbot.waitSignal(bridge.replied, check_params_cb=lambda r: r.topic.endswith("/load")):
            page = DevicePage(staffed, bridge, user, device_id)
        qtbot.addWidget(page)
        page.resize(1200, 820)
        page.show()
        qtbot.waitUntil(lambda: page.data is not None)
        page.tabs.setCurrentWidget(page.locks)
        pages.append(page)
        return page

    yield open_
    bridge.wait_for_done()  # no worker may outlive the page's database
    for page in pages:
        page.close()


def shown_buttons(page: DevicePage) -> set[LockKind]:
    return {kind for kind, button in page.locks.check_buttons.items() if button.isVisible()}


def open_dialog(qtbot: QtBot, page: DevicePage, kind: LockKind = LockKind.ICLOUD) -> LockCheckDialog:
    qtbot.mouseClick(page.locks.check_buttons[kind], Qt.MouseButton.LeftButton)
    dialog = page.locks.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.note.hasFocus)
    return dialog


def test_find_my_unknown_is_checked_off_by_hand_and_the_inspection_finishes(
    qtbot: QtBot, open_as: Callable[..., DevicePage], staffed: Station
) -> None:
    device_id, _inspection = start_with_driver_readings(staffed, locks=FMIP_UNKNOWN)
    page = open_as(device_id)
    assert page.locks.verdict.text().strip() == "Unknown"
    assert shown_buttons(page) == {LockKind.ICLOUD}, "only the lock the phone could not tell"
    assert page.locks.check_buttons[LockKind.ICLOUD].text() == "Checked by hand…"

    dialog = open_dialog(qtbot, page)
    assert dialog.note.hasFocus()
    assert not dialog.ok.isEnabled(), "neither the state nor the note given yet"
    qtbot.keyClicks(dialog.note, NOTE)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.isVisible(), "Enter without Off or On keeps the dialog open"
    qtbot.mouseClick(dialog.off, Qt.MouseButton.LeftButton)
    assert dialog.ok.isEnabled()
    reloaded(qtbot, page, lambda: qtbot.keyClick(dialog.note, Qt.Key.Key_Return))

    _name, state, evidence = page.locks.rows[LockKind.ICLOUD]
    assert (state.text(), evidence.text()) == ("off", f"checked by hand by tech: {NOTE}")
    assert page.locks.verdict.text().strip() == "No lock"
    assert page.locks.source.text().startswith("Read from hand check at the bench (")
    assert page.locks.message.text() == "iCloud Activation Lock / Find My checked by hand: recorded."
    assert shown_buttons(page) == set()
    history = page.identity.history
    lock_entries = [history.entry(row) for row in range(history.rowCount()) if history.entry(row).what == "locks"]
    assert [entry.detail.split(":")[0] for entry in lock_entries] == ["locks -> unknown", "locks -> clear"]
    assert "(source: hand check at the bench" in lock_entries[-1].detail  # a hand check is told from a device reading

    # The checklist by keys, then Ctrl+Enter: the pass is no longer refused for the lock.
    page.tabs.setCurrentWidget(page.checklist)
    answer_everything_by_keys(qtbot, page)
    page.activateWindow()  # a window manager gives it back when the dialog closes; the offscreen platform does not
    qtbot.waitUntil(page.isActiveWindow)
    page.checklist.view.setFocus()
    reloaded(
        qtbot, page, lambda: qtbot.keyClick(page.checklist.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    )
    assert page.checklist.result.text().startswith("Inspected: no account or management lock")
    assert state_of(staffed, device_id) == "inspected"


def test_a_refused_check_is_shown_in_red_and_what_was_typed_is_kept(
    qtbot: QtBot, open_as: Callable[..., DevicePage], staffed: Station
) -> None:
    device_id, inspection = start_with_driver_readings(staffed, locks=FMIP_UNKNOWN)
    page = open_as(device_id)
    dialog = open_dialog(qtbot, page)
    qtbot.mouseClick(dialog.off, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.note, NOTE)
    # Meanwhile the phone is unplugged: the bench marks the pass interrupted.
    with staffed.uow() as uow:
        services.interrupt_inspection(uow, "tech", inspection, "unplugged")

    reloaded(qtbot, page, lambda: qtbot.keyClick(dialog.note, Qt.Key.Key_Return))

    assert page.locks.message.text() == f"inspection #{inspection} is interrupted: start a new one to check the locks"
    assert RED in page.locks.message.styleSheet()
    assert shown_buttons(page) == set(), "no open inspection: nothing to record into"

    with staffed.uow() as uow:  # plugged back: the pass resumes
        services.start_inspection(uow, "tech", device_id, station="bench-1")
    reloaded(qtbot, page, page.reload)
    again = open_dialog(qtbot, page)
    assert (again.state(), again.note.text()) == (LockState.OFF, NOTE)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert page.locks.dialog is None
    reopened = open_dialog(qtbot, page)
    assert (reopened.state(), reopened.note.text()) == (LockState.OFF, NOTE), "kept after Cancel too"


def test_checked_on_by_hand_quarantines_the_phone(
    qtbot: QtBot, open_as: Callable[..., DevicePage], staffed: Station
) -> None:
    device_id, _inspection = start_with_driver_readings(staffed, locks=FMIP_UNKNOWN)
    page = open_as(device_id)
    states: list[tuple[int, str]] = []
    page.state_changed.connect(lambda d, s: states.append((d, s)))
    dialog = open_dialog(qtbot, page)
    qtbot.mouseClick(dialog.on, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.note, "Apple ID still signed in; owner not reachable")
    reloaded(qtbot, page, lambda: qtbot.keyClick(dialog.note, Qt.Key.Key_Return))

    assert page.state.text().strip() == "Quarantined"
    assert page.locks.verdict.text().strip() == "Locked"
    assert states == [(device_id, "quarantined")]
    assert shown_buttons(page) == set()


@pytest.mark.parametrize(
    ("locks", "user"),
    [
        (LockStatus("lockdown", icloud=LockCheck(LockState.ON, "FMiP on"), google_frp=NA, samsung=NA, mdm=OFF), TECH),
        (FMIP_UNKNOWN, Person("audrey", "auditor")),
    ],
    ids=["read-on", "auditor"],
)
def test_no_hand_check_for_a_lock_read_on_nor_for_an_auditor(
    open_as: Callable[..., DevicePage], staffed: Station, locks: LockStatus, user: Person
) -> None:
    device_id, _inspection = start_with_driver_readings(staffed, locks=locks)
    page = open_as(device_id, user)
    assert page.locks.rows[LockKind.ICLOUD][1].text() == locks.icloud.state.value
    assert shown_buttons(page) == set()
