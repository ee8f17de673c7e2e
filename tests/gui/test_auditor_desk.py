"""The auditor's desk, driven like a person: search with the form, page through results, read a device's history,
approve or reject it (never one's own work), draw the R2v3 QC sample, and see the audit chain's state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from app.gui.auditor import AuditorDesk, search_model
from app.gui.auditor.search_model import DeviceSearchModel
from app.gui.bridge import Bridge
from app.gui.tasks import Person
from app.station import Station
from tests.audit.bench_flow import ANDROID_IMEI, IPHONE_IMEI, iphone, register, to_certified
from tests.audit.test_queries import populate
from tests.gui.conftest import GUI

pytestmark = GUI

AUDREY = Person("audrey", "auditor")
ADMIN = Person("admin", "admin")


@pytest.fixture
def make_desk(
    qtbot: QtBot, staffed: Station, bridge: Bridge, pool: QThreadPool
) -> Iterator[Callable[..., AuditorDesk]]:
    desks: list[AuditorDesk] = []

    def make(user: Person = AUDREY) -> AuditorDesk:
        desk = AuditorDesk(staffed, bridge, user)
        qtbot.addWidget(desk)
        desks.append(desk)
        desk.resize(1200, 800)
        desk.show()
        qtbot.waitUntil(lambda: desk.chain_label.text().startswith("Audit chain valid"))
        return desk

    yield make
    pool.waitForDone()


@pytest.fixture
def two_certified(staffed: Station) -> tuple[int, int]:
    """One iPhone certified by tech, one by admin."""
    first = register(staffed.uow)
    to_certified(staffed.uow, first, actor="tech")
    second = register(staffed.uow, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"), actor="admin")
    to_certified(staffed.uow, second, actor="admin")
    return first, second


def cells(model: DeviceSearchModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def search(qtbot: QtBot, desk: AuditorDesk) -> None:
    with qtbot.waitSignal(desk.results.loaded):
        qtbot.mouseClick(desk.search_button, Qt.MouseButton.LeftButton)


def pick(combo: QComboBox, text: str) -> None:
    position = combo.findText(text)
    assert position >= 0, f"{text!r} not in the list"
    combo.setCurrentIndex(position)


def select_row(qtbot: QtBot, desk: AuditorDesk, row: int) -> None:
    desk.table.setFocus()
    desk.table.selectRow(row)
    qtbot.waitUntil(lambda: desk.panel.isVisible() and desk.device is not None)


def test_an_imei_prefix_typed_then_enter_finds_the_device(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    desk = make_desk()
    qtbot.keyClicks(desk.identifier, "35 6938")
    with qtbot.waitSignal(desk.results.loaded):
        qtbot.keyClick(desk.identifier, Qt.Key.Key_Return)
    assert cells(desk.results, DeviceSearchModel.IDENTIFIER) == [IPHONE_IMEI]
    assert cells(desk.results, DeviceSearchModel.STATE) == ["Certified"]
    assert cells(desk.results, DeviceSearchModel.GRADE) == ["premium"]
    assert cells(desk.results, DeviceSearchModel.TECHNICIAN) == ["tech"]
    assert desk.count_label.text() == "Showing 1 of 1 devices"
    assert not desk.more_button.isEnabled()


def test_the_form_filters_by_technician_and_state(
    qtbot: QtBot, staffed: Station, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    register(staffed.uow, iphone(imei="353456789012348", serial="F2LXK0ABHG7H"))  # identified, never inspected
    desk = make_desk()
    search(qtbot, desk)
    assert desk.results.rowCount() == 3
    qtbot.waitUntil(lambda: desk.technician.count() == 4)  # anyone, admin, tech, tech2
    pick(desk.technician, "admin")
    search(qtbot, desk)
    assert cells(desk.results, DeviceSearchModel.IDENTIFIER) == [ANDROID_IMEI]
    pick(desk.technician, "Anyone")
    pick(desk.state, "Identified")
    search(qtbot, desk)
    assert cells(desk.results, DeviceSearchModel.IDENTIFIER) == ["353456789012348"]
    pick(desk.state, "Any state")
    pick(desk.review, "Approved")
    search(qtbot, desk)
    assert desk.count_label.text() == "No device matches."


def test_results_are_read_a_page_at_a_time(
    qtbot: QtBot, staffed: Station, make_desk: Callable[..., AuditorDesk]
) -> None:
    with staffed.uow() as uow:
        populate(uow.session.connection(), 250)
        uow.commit()
    desk = make_desk()
    search(qtbot, desk)
    assert desk.results.rowCount() == 100
    assert desk.count_label.text() == "Showing 100 of 250 devices"
    assert desk.more_button.isEnabled()

    with qtbot.waitSignal(desk.results.loaded):
        qtbot.mouseClick(desk.more_button, Qt.MouseButton.LeftButton)
    assert desk.count_label.text() == "Showing 200 of 250 devices"

    # Scrolling to the bottom asks for the rest (the view calls fetchMore).
    with qtbot.waitSignal(desk.results.loaded):
        desk.table.scrollToBottom()
        desk.table.verticalScrollBar().setValue(desk.table.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: desk.results.rowCount() == 250)
    assert desk.count_label.text() == "Showing 250 of 250 devices"
    assert not desk.more_button.isEnabled()
    identifiers = cells(desk.results, DeviceSearchModel.IDENTIFIER)
    assert len(set(identifiers)) == 250


def test_approving_shows_the_history_and_the_new_state(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    first, _ = two_certified
    desk = make_desk()
    search(qtbot, desk)
    row = desk.results.row_of(first)
    select_row(qtbot, desk, row)
    assert desk.panel.title.text() == f"Apple iPhone 12 ({IPHONE_IMEI})"
    whats = [desk.panel.history.index(r, 2).data() for r in range(desk.panel.history.rowCount())]
    assert "erasure" in whats
    assert "certificate" in whats
    assert desk.approve_button.isEnabled()

    qtbot.keyClicks(desk.reason, "checked twice")
    qtbot.mouseClick(desk.approve_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "now Approved" in desk.review_message.text())
    assert desk.review_message.text() == f"Apple iPhone 12 ({IPHONE_IMEI}): now Approved."
    assert desk.panel.state.text().strip() == "Approved"
    assert desk.results.index(row, DeviceSearchModel.STATE).data() == "Approved"
    assert not desk.approve_button.isEnabled()  # approved: nothing more to sign
    details = [desk.panel.history.index(r, 3).data() for r in range(desk.panel.history.rowCount())]
    assert "approved: checked twice" in details


def test_ones_own_work_is_refused_with_the_services_words(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    _, by_admin = two_certified
    desk = make_desk(ADMIN)
    search(qtbot, desk)
    select_row(qtbot, desk, desk.results.row_of(by_admin))

    qtbot.mouseClick(desk.approve_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "cannot sign it off" in desk.review_message.text())
    assert desk.review_message.text() == (
        f"admin inspected Apple iPhone 12 ({ANDROID_IMEI}) in this pass and cannot sign it off: ask another auditor"
    )
    assert "#b3261e" in desk.review_message.styleSheet()
    assert desk.panel.state.text().strip() == "Certified"


def test_a_rejection_needs_a_reason(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    first, _ = two_certified
    desk = make_desk()
    search(qtbot, desk)
    select_row(qtbot, desk, desk.results.row_of(first))

    qtbot.mouseClick(desk.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.review_message.text() == "a rejection needs a reason")

    qtbot.keyClicks(desk.reason, "scratch not recorded")
    qtbot.mouseClick(desk.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now Identified" in desk.review_message.text())
    assert desk.panel.reason.text() == "rejected: scratch not recorded"

    pick(desk.review, "Rejected")
    search(qtbot, desk)
    assert [desk.results.row(r).device_id for r in range(desk.results.rowCount())] == [first]


def test_a_technician_sees_the_desk_but_cannot_review(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    desk = make_desk(Person("tech", "technician"))
    search(qtbot, desk)
    select_row(qtbot, desk, 0)
    assert not desk.approve_button.isEnabled()
    assert desk.approve_button.toolTip() == "Reviews are for auditors"


def test_double_click_opens_the_device(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    desk = make_desk()
    search(qtbot, desk)
    with qtbot.waitSignal(desk.open_device) as blocker:
        desk.table.doubleClicked.emit(desk.results.index(1, 0))
    assert blocker.args == [desk.results.row(1).device_id]


def test_the_qc_sample_lists_other_peoples_erasures(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    first, by_admin = two_certified
    desk = make_desk(ADMIN)
    desk.tabs.setCurrentIndex(1)
    qtbot.mouseClick(desk.qc_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.qc_table.rowCount() == 1)
    assert desk.qc_table.item(0, 1).text() == f"Apple iPhone 12 ({IPHONE_IMEI})"
    assert desk.qc_table.item(0, 2).text() == "tech"  # never the admin's own erasure
    assert desk.qc_summary.text().startswith("2 erasures from ")
    assert ": 1 to re-verify (5 %), 1 drawn for you" in desk.qc_summary.text()

    desk.qc_table.cellDoubleClicked.emit(0, 0)
    qtbot.waitUntil(lambda: desk.device is not None and desk.device.device_id == first)
    assert desk.tabs.currentIndex() == 0
    del by_admin


def test_a_tampered_chain_is_shown_broken(
    qtbot: QtBot, staffed: Station, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    desk = make_desk()
    with staffed.engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3"))
    qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "BROKEN" in desk.chain_label.text())
    assert desk.chain_label.text().startswith("Audit chain BROKEN at #3")
    assert "#b3261e" in desk.chain_label.styleSheet()


def test_approving_with_listing_queues_it_in_the_same_step(
    qtbot: QtBot, two_certified: tuple[int, int], make_desk: Callable[..., AuditorDesk]
) -> None:
    first, _ = two_certified
    desk = make_desk()
    search(qtbot, desk)
    select_row(qtbot, desk, desk.results.row_of(first))
    desk.list_on_approval.setFocus()
    qtbot.keyClick(desk.list_on_approval, Qt.Key.Key_Space)
    assert desk.list_on_approval.isChecked()
    qtbot.mouseClick(desk.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "now Listed" in desk.review_message.text())
    assert desk.panel.state.text().strip() == "Listed"


def test_a_huge_result_set_is_counted_up_to_a_limit(
    qtbot: QtBot, staffed: Station, make_desk: Callable[..., AuditorDesk], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The desk stops counting at COUNT_LIMIT (10,000 in use); lowered here so 250 devices are "more than the limit".
    monkeypatch.setattr(search_model, "COUNT_LIMIT", 120)
    with staffed.uow() as uow:
        populate(uow.session.connection(), 250)
        uow.commit()
    desk = make_desk()
    search(qtbot, desk)
    assert desk.count_label.text() == "Showing 100 of 120+ devices"
    monkeypatch.setattr(search_model, "COUNT_LIMIT", 10_000)
    search(qtbot, desk)
    assert desk.count_label.text() == "Showing 100 of 250 devices"
