"""Signing in: the people come from the database; a person picks themself with the keyboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.main_window import MainWindow
from app.station import Station
from tests.gui.conftest import GUI

pytestmark = GUI


def test_users_are_listed_and_picked_with_the_keyboard(
    qtbot: QtBot, staffed: Station, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.start()
    dialog = window.sign_in_dialog
    qtbot.waitUntil(lambda: dialog.users.count() == 6)
    assert dialog.isVisible()
    names = [dialog.users.item(row).text().split()[0] for row in range(dialog.users.count())]
    assert names == ["admin", "audrey", "auguste", "tech", "tech2", "wendy"]
    assert "Auditor" in dialog.users.item(1).text()

    qtbot.keyClicks(dialog.users, "aug")
    picked = dialog.selected()
    assert picked is not None
    assert picked.name == "auguste"
    with qtbot.waitSignal(dialog.signed_in) as blocker:
        qtbot.keyClick(dialog.users, Qt.Key.Key_Return)

    assert blocker.args[0].name == "auguste"
    assert not dialog.isVisible()
    assert "auguste (Auditor)" in window.windowTitle()
    assert window.user_label.text() == "Signed in: auguste (Auditor)"
    assert window.lookup.isEnabled()
    assert window.focusWidget() is window.lookup.search


def test_an_empty_database_says_how_to_add_the_first_admin(
    qtbot: QtBot, station: Station, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.start()
    dialog = window.sign_in_dialog
    qtbot.waitUntil(lambda: "No users yet" in dialog.prompt.text())
    assert "refurb-station user add NAME --role admin" in dialog.prompt.text()
    assert not dialog.sign_in_button.isEnabled()
    assert not dialog.users.isVisible()

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert window.user is None
    assert "not signed in" in window.windowTitle()
    assert not window.lookup.isEnabled()


def test_switch_user_opens_the_dialog_again(
    qtbot: QtBot, staffed: Station, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.start()
    dialog = window.sign_in_dialog
    qtbot.waitUntil(lambda: dialog.users.count() == 6)
    qtbot.keyClicks(dialog.users, "w")
    qtbot.keyClick(dialog.users, Qt.Key.Key_Enter)
    assert window.user is not None
    assert window.user.name == "wendy"

    window.switch_user_action.trigger()
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.users.count() == 6)
    qtbot.keyClicks(dialog.users, "tech")
    qtbot.keyClick(dialog.users, Qt.Key.Key_Return)
    assert window.user is not None
    assert window.user.name == "tech"
    assert "tech (Technician)" in window.windowTitle()
