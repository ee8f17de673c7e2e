"""The station's first window: who is signed in, device lookup, and the state of the records.

Every signal is connected in ``_connect_signals``; work goes to the pool through the bridge and comes back to
``on_reply``, which routes it by topic and drops replies a newer request has overtaken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from app.gui import tasks
from app.gui.bridge import Bridge, Reply
from app.gui.device_lookup import DeviceLookup
from app.gui.sign_in import SignInDialog
from app.gui.states import GREEN, RED, role_name
from app.gui.tasks import Person
from app.station import Station
from audit.chain import ChainReport
from audit.errors import NotFound, ServiceError
from audit.history import DeviceHistory
from audit.rules.errors import RulesError

log = logging.getLogger(__name__)

USERS, LOOKUP, CHAIN = "users", "lookup", "chain"


class MainWindow(QMainWindow):
    def __init__(self, station: Station, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.bridge = bridge
        self.user: Person | None = None
        self._looking_for = ""

        self.lookup = DeviceLookup()
        self.sign_in_dialog = SignInDialog(self)
        self.setCentralWidget(self.lookup)
        self.resize(1100, 760)

        self.database_label = QLabel(self.tr("Database: %1").replace("%1", self._database_text()))
        self.station_label = QLabel(self.tr("Station: %1").replace("%1", station.name))
        self.chain_label = QLabel(self.tr("Checking the audit chain…"))
        self.chain_label.setAccessibleName(self.tr("Audit chain status"))
        self.user_label = QLabel()
        for label in (self.user_label, self.station_label, self.database_label, self.chain_label):
            label.setContentsMargins(10, 0, 10, 0)
            self.statusBar().addPermanentWidget(label)

        self.switch_user_action = QAction(self.tr("&Switch user…"), self)
        self.switch_user_action.setShortcut(QKeySequence("Ctrl+U"))
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        menu = self.menuBar().addMenu(self.tr("&Station"))
        menu.addAction(self.switch_user_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)

        self._show_signed_out()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.bridge.replied.connect(self.on_reply)
        self.lookup.lookup_requested.connect(self.on_lookup_requested)
        self.sign_in_dialog.signed_in.connect(self.sign_in)
        self.switch_user_action.triggered.connect(self.ask_who)
        self.quit_action.triggered.connect(self.close)

    def _database_text(self) -> str:
        return self.station.engine.url.render_as_string(hide_password=True)

    # --- starting -----------------------------------------------------------------------------------------------

    def start(self, *, signed_in_as: Person | None = None) -> None:
        """Check the records in the background, then sign in (or ask who is at the station)."""
        station = self.station
        self.bridge.submit(CHAIN, lambda: tasks.verify_chain(station))
        if signed_in_as is not None:
            self.sign_in(signed_in_as)
        else:
            self.ask_who()

    def ask_who(self) -> None:
        station = self.station
        self.sign_in_dialog.show_loading()
        self.bridge.submit(USERS, lambda: tasks.active_users(station))
        self.sign_in_dialog.open()

    # --- replies from the pool ----------------------------------------------------------------------------------

    def on_reply(self, reply: Reply) -> None:
        if not self.bridge.is_latest(reply):
            return  # overtaken by a newer request of the same kind
        on_value, on_error = _HANDLERS[reply.topic]
        if reply.error is None:
            on_value(self, reply.value)
        else:
            on_error(self, reply.error)

    def on_users(self, people: tuple[Person, ...]) -> None:
        self.sign_in_dialog.set_users(people)

    def on_users_failed(self, error: BaseException) -> None:
        self.sign_in_dialog.show_error(self.tr("Cannot read the users: %1").replace("%1", str(error)))

    def on_chain(self, report: ChainReport) -> None:
        if report.valid:
            text = self.tr("Audit chain valid: %1 events").replace("%1", str(report.events_checked))
            self._set_chain_status(text, GREEN, report.summary())
        else:
            first = report.problems[0]
            detail = f"#{first.seq}: {first.problem}"
            text = self.tr("Audit chain BROKEN: %1").replace("%1", detail)
            self._set_chain_status(text, RED, report.summary())

    def on_chain_failed(self, error: BaseException) -> None:
        self._set_chain_status(self.tr("Audit chain not verified: %1").replace("%1", str(error)), RED, str(error))

    def _set_chain_status(self, text: str, colour: str, tooltip: str) -> None:
        self.chain_label.setText(text)
        self.chain_label.setToolTip(tooltip)
        self.chain_label.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")

    # --- signing in ---------------------------------------------------------------------------------------------

    def sign_in(self, person: Person) -> None:
        self.user = person
        who = f"{person.name} ({role_name(person.role)})"
        self.setWindowTitle(self.tr("Refurb Station — %1").replace("%1", who))
        self.user_label.setText(self.tr("Signed in: %1").replace("%1", who))
        self.lookup.setEnabled(True)
        self.lookup.message.clear()
        self.lookup.search.setFocus()

    def _show_signed_out(self) -> None:
        self.setWindowTitle(self.tr("Refurb Station — not signed in"))
        self.user_label.setText(self.tr("Not signed in"))
        self.lookup.setEnabled(False)
        self.lookup.message.setText(self.tr("Sign in to look up devices (Station ▸ Switch user, Ctrl+U)."))

    # --- device lookup ------------------------------------------------------------------------------------------

    def on_lookup_requested(self, text: str) -> None:
        self._looking_for = text
        self.lookup.show_searching(text)
        station = self.station
        self.bridge.submit(LOOKUP, lambda: tasks.look_up_device(station, text))

    def on_device(self, history: DeviceHistory) -> None:
        self.lookup.show_device(history)
        self.statusBar().showMessage(self.tr("Found %1").replace("%1", history.label), 5000)

    def on_lookup_failed(self, error: BaseException) -> None:
        text = self._looking_for
        if isinstance(error, NotFound):
            message = self.tr("No device with IMEI or serial %1.").replace("%1", text)
        elif isinstance(error, RulesError):
            message = self.tr("“%1” is not a valid IMEI or serial number: %2").replace("%1", text)
            message = message.replace("%2", str(error))
        elif isinstance(error, ServiceError):
            message = str(error)
        else:
            message = self.tr("The lookup failed: %1").replace("%1", str(error) or type(error).__name__)
        self.lookup.show_problem(message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's API
        self.sign_in_dialog.close()
        super().closeEvent(event)


# Plain functions, not bound methods kept on the window: a window in a reference cycle would wait for a garbage
# collection, and one that runs on a pool thread must never be what destroys a widget.
_HANDLERS: dict[str, tuple[Callable[[MainWindow, Any], None], Callable[[MainWindow, BaseException], None]]] = {
    USERS: (MainWindow.on_users, MainWindow.on_users_failed),
    LOOKUP: (MainWindow.on_device, MainWindow.on_lookup_failed),
    CHAIN: (MainWindow.on_chain, MainWindow.on_chain_failed),
}
