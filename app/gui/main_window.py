"""The station's window: named pages (the bench, device lookup; the device page, lots and the auditor desk are added
with :meth:`MainWindow.add_page`), who is signed in, settings, and the state of the records and drivers.

Every signal is connected in ``_connect_signals``; work goes to the pool through the bridge and comes back to
``on_reply``, which routes it by topic and drops replies a newer request has overtaken. Bench events come through
the :class:`~app.gui.bench_bridge.BenchBridge`, already on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from app.bench.events import DriverStatus, Platform
from app.gui import tasks
from app.gui.auditor.desk import AuditorDesk
from app.gui.bench_bridge import BenchBridge
from app.gui.bench_view import BenchView
from app.gui.bridge import Bridge, Reply
from app.gui.device_lookup import DeviceLookup
from app.gui.device_page import DevicePage, Eraser
from app.gui.listings.page import ListingsPage
from app.gui.lots.page import LotsPage
from app.gui.lots.scanner import ScannerFilter
from app.gui.serial_scanner import SerialScannerBridge
from app.gui.settings import LABEL_PRINTER, LANGUAGE, Language, Settings, SettingsDialog
from app.gui.sign_in import SignInDialog
from app.gui.states import GREEN, RED, role_name
from app.gui.tasks import Person
from app.station import Station
from audit.chain import ChainReport
from audit.errors import NotFound, ServiceError
from audit.history import DeviceHistory
from audit.rules.errors import RulesError
from drivers.peripherals.scanner import ScanEvent, ScanKind

log = logging.getLogger(__name__)

USERS, LOOKUP, CHAIN = "users", "lookup", "chain"
BENCH_PAGE, LOOKUP_PAGE, LOTS_PAGE, AUDITOR_PAGE, LISTINGS_PAGE, DEVICE_PAGE = (
    "bench",
    "lookup",
    "lots",
    "auditor",
    "listings",
    "device",
)


class MainWindow(QMainWindow):
    user_changed = Signal(object)  # the Person who signed in
    open_device = Signal(int)  # a device id to show on the device page

    def __init__(
        self,
        station: Station,
        bridge: Bridge,
        parent: QWidget | None = None,
        *,
        bench: BenchBridge | None = None,
        settings: Settings | None = None,
        language: Language | None = None,
        eraser: Eraser | None = None,
    ) -> None:
        super().__init__(parent)
        self.eraser = eraser
        self.station = station
        self.bridge = bridge
        self.bench_bridge = bench
        self.settings = settings
        self.language = language
        self.user: Person | None = None
        self._looking_for = ""
        self._drivers: dict[Platform, DriverStatus] = {}
        self._chain_report: ChainReport | None = None
        self.serial_scanner: SerialScannerBridge | None = None

        self.lookup = DeviceLookup()
        self.bench = BenchView()
        self.sign_in_dialog = SignInDialog(self)
        self.settings_dialog: SettingsDialog | None = None
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self._page_names: list[str] = []
        self.add_page(BENCH_PAGE, self.bench, self.tr("&Bench"))
        self.add_page(LOOKUP_PAGE, self.lookup, self.tr("&Look up"))
        self.lots = LotsPage(station, bridge, None)
        self.auditor = AuditorDesk(station, bridge, None)
        self.add_page(LOTS_PAGE, self.lots, self.tr("L&ots"))
        self.add_page(AUDITOR_PAGE, self.auditor, self.tr("&Auditor desk"))
        self.listings = ListingsPage(station, bridge)
        self.add_page(LISTINGS_PAGE, self.listings, self.tr("Li&stings"))
        self.device_page: DevicePage | None = None
        # With a lot active, a scanner's burst anywhere in the window goes to that lot (the lots page has its own).
        self.scanner = ScannerFilter(self)
        self._scanner_installed = False
        # A station without a bench (an office, an auditor's desk) opens on the lookup.
        self.show_page(BENCH_PAGE if bench is not None else LOOKUP_PAGE)
        self.setCentralWidget(self.pages)
        self.resize(1100, 760)

        self.database_label = QLabel(self.tr("Database: %1").replace("%1", self._database_text()))
        self.station_label = QLabel(self.tr("Station: %1").replace("%1", station.name))
        self.drivers_label = QLabel()
        self.drivers_label.setAccessibleName(self.tr("Driver status"))
        self.chain_label = QLabel(self.tr("Checking the audit chain…"))
        self.chain_label.setAccessibleName(self.tr("Audit chain status"))
        self.user_label = QLabel()
        for label in (self.user_label, self.station_label, self.database_label, self.drivers_label, self.chain_label):
            label.setContentsMargins(10, 0, 10, 0)
            self.statusBar().addPermanentWidget(label)
        self.drivers_label.setVisible(bench is not None)

        self.switch_user_action = QAction(self.tr("&Switch user…"), self)
        self.switch_user_action.setShortcut(QKeySequence("Ctrl+U"))
        self.settings_action = QAction(self.tr("S&ettings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setEnabled(settings is not None)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.bench_action = QAction(self.tr("&Bench"), self)
        self.bench_action.setShortcuts([QKeySequence("F2"), QKeySequence("Ctrl+1")])
        self.lookup_action = QAction(self.tr("&Look up a device"), self)
        self.lookup_action.setShortcuts([QKeySequence("Ctrl+L"), QKeySequence("F3")])
        self.english_action = QAction("English", self, checkable=True)
        self.french_action = QAction("Français", self, checkable=True)
        languages = QActionGroup(self)
        languages.addAction(self.english_action)
        languages.addAction(self.french_action)
        self.french_action.setChecked(self._language_code() == "fr")
        self.english_action.setChecked(not self.french_action.isChecked())
        self.station_menu = self.menuBar().addMenu(self.tr("&Station"))
        self.station_menu.addAction(self.switch_user_action)
        self.station_menu.addAction(self.settings_action)
        self.language_menu = self.station_menu.addMenu(self.tr("&Language"))
        self.language_menu.addAction(self.english_action)
        self.language_menu.addAction(self.french_action)
        self.station_menu.addSeparator()
        self.station_menu.addAction(self.quit_action)
        self.go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.go_menu.addAction(self.bench_action)
        self.go_menu.addAction(self.lookup_action)

        self._show_signed_out()
        self._connect_signals()
        self._update_drivers()
        self.restore_window_state()

    def _connect_signals(self) -> None:
        self.bridge.replied.connect(self.on_reply)
        self.lookup.lookup_requested.connect(self.on_lookup_requested)
        self.sign_in_dialog.signed_in.connect(self.sign_in)
        self.switch_user_action.triggered.connect(self.ask_who)
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action.triggered.connect(self.close)
        self.bench_action.triggered.connect(self.on_go_bench)
        self.lookup_action.triggered.connect(self.on_go_lookup)
        self.english_action.triggered.connect(lambda: self.switch_language("en"))
        self.french_action.triggered.connect(lambda: self.switch_language("fr"))
        self.bench.open_device.connect(self.open_device)
        self.lots.open_device.connect(self.open_device)
        self.auditor.open_device.connect(self.open_device)
        self.listings.open_device.connect(self.open_device)
        self.open_device.connect(self.on_open_device)
        self.lots.active_lot_changed.connect(self._update_scanner)
        self.pages.currentChanged.connect(self._update_scanner)
        self.scanner.scanned.connect(self.lots.scan)
        if self.bench_bridge is not None:
            self.bench_bridge.device_event.connect(self.bench.on_device_event)
            self.bench_bridge.driver_status.connect(self.on_driver_status)

    # --- pages --------------------------------------------------------------------------------------------------

    def add_page(self, name: str, widget: QWidget, title: str) -> None:
        """Add a named page (the device page, lots, the auditor desk); Ctrl+<n> follows the order of the tabs."""
        self._page_names.append(name)
        self.pages.addTab(widget, title)

    def page(self, name: str) -> QWidget:
        return self.pages.widget(self._page_names.index(name))

    def show_page(self, name: str) -> None:
        self.pages.setCurrentIndex(self._page_names.index(name))

    def current_page(self) -> str:
        return self._page_names[self.pages.currentIndex()]

    def on_go_bench(self) -> None:
        self.show_page(BENCH_PAGE)
        self.bench.focus_first_tile()

    def on_go_lookup(self) -> None:
        self.show_page(LOOKUP_PAGE)
        self.lookup.search.setFocus()
        self.lookup.search.selectAll()

    def on_open_device(self, device_id: int) -> None:
        """Show the device page of one device (one at a time: opening another replaces it)."""
        if self.user is None:
            self.ask_who()
            return
        label_printer = self.settings.value(LABEL_PRINTER) if self.settings is not None else None
        page = DevicePage(
            self.station, self.bridge, self.user, device_id, eraser=self.eraser, label_printer=label_printer or None
        )
        page.notice.connect(self.statusBar().showMessage)
        if self.device_page is not None:
            index = self._page_names.index(DEVICE_PAGE)
            self.pages.removeTab(index)
            del self._page_names[index]
            self.device_page.deleteLater()
        self.device_page = page
        self.add_page(DEVICE_PAGE, page, self.tr("&Device"))
        self.show_page(DEVICE_PAGE)

    def connect_serial_scanner(self, scanner: SerialScannerBridge) -> None:
        """A serial barcode scanner's codes go where a keyboard-wedge scan would: the active lot, else the lookup."""
        self.serial_scanner = scanner
        scanner.scanned.connect(self.on_serial_scan)
        scanner.failed.connect(self.on_serial_scanner_failed)

    def on_serial_scan(self, event: ScanEvent) -> None:
        if event.kind is ScanKind.LOT:
            if self.lots.lots.findData(event.text) >= 0:
                self.lots.set_active_lot(event.text)
                self.show_page(LOTS_PAGE)
            else:
                self.statusBar().showMessage(self.tr("No lot %1 on this station.").replace("%1", event.text), 5000)
            return
        if event.kind is ScanKind.BAY:
            return  # bay labels are for `bays learn`, not for the window
        if self.lots.active_lot:
            self.lots.scan(event.text)
            return
        if self.user is None:
            self.ask_who()
            return
        self.show_page(LOOKUP_PAGE)
        self.lookup.search.setText(event.text)
        self.lookup.search.selectAll()  # the next scan replaces it, as after Enter
        self.on_lookup_requested(event.text)

    def on_serial_scanner_failed(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Barcode scanner: %1").replace("%1", message))

    def _update_scanner(self, *_args: object) -> None:
        wanted = bool(self.lots.active_lot) and self.current_page() != LOTS_PAGE
        if wanted and not self._scanner_installed:
            self.scanner.install()
        elif not wanted and self._scanner_installed:
            self.scanner.uninstall()
        self._scanner_installed = wanted

    # --- settings, language, window state -----------------------------------------------------------------------

    def _language_code(self) -> str:
        if self.settings is None:
            return "en"
        return self.settings.value(LANGUAGE)

    def open_settings(self) -> None:
        if self.settings is None:
            return
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self.settings, self)
            self.settings_dialog.accepted.connect(self.on_settings_saved)
        self.settings_dialog.load()
        self.settings_dialog.open()

    def on_settings_saved(self) -> None:
        if self.language is not None:
            self.language.install(self._language_code())
        self.statusBar().showMessage(self.tr("Settings saved"), 5000)

    def switch_language(self, code: str) -> None:
        if self.settings is not None:
            self.settings.set_value(LANGUAGE, code)
            self.settings.sync()
        if self.language is not None:
            self.language.install(code)

    def restore_window_state(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("state")
        if state is not None:
            self.restoreState(state)

    def save_window_state(self) -> None:
        if self.settings is None:
            return
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.set_window_state("state", self.saveState())
        self.settings.sync()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The window's own texts in the language just installed (the pages follow LanguageChange themselves)."""
        self.pages.setTabText(self._page_names.index(BENCH_PAGE), self.tr("&Bench"))
        self.pages.setTabText(self._page_names.index(LOOKUP_PAGE), self.tr("&Look up"))
        self.pages.setTabText(self._page_names.index(LOTS_PAGE), self.tr("L&ots"))
        self.pages.setTabText(self._page_names.index(AUDITOR_PAGE), self.tr("&Auditor desk"))
        self.pages.setTabText(self._page_names.index(LISTINGS_PAGE), self.tr("Li&stings"))
        if DEVICE_PAGE in self._page_names:
            self.pages.setTabText(self._page_names.index(DEVICE_PAGE), self.tr("&Device"))
        self.station_menu.setTitle(self.tr("&Station"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.switch_user_action.setText(self.tr("&Switch user…"))
        self.settings_action.setText(self.tr("S&ettings…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.bench_action.setText(self.tr("&Bench"))
        self.lookup_action.setText(self.tr("&Look up a device"))
        self.database_label.setText(self.tr("Database: %1").replace("%1", self._database_text()))
        self.station_label.setText(self.tr("Station: %1").replace("%1", self.station.name))
        self._update_drivers()
        if self._chain_report is not None:
            self.on_chain(self._chain_report)
        if self.user is not None:
            self._show_user(self.user)
        else:
            self._show_signed_out()

    # --- drivers ------------------------------------------------------------------------------------------------

    def on_driver_status(self, status: DriverStatus) -> None:
        self._drivers[status.driver] = status
        self._update_drivers()

    def _update_drivers(self) -> None:
        parts = []
        for platform, name in (
            (Platform.IOS, "iOS"),
            (Platform.ANDROID, "Android"),
            (Platform.LAPTOP, self.tr("Laptop agent")),
        ):
            status = self._drivers.get(platform)
            if status is None:
                continue
            parts.append(f"{name} ✓" if status.ok else f"{name} ✗")
        self.drivers_label.setText(self.tr("Drivers: %1").replace("%1", "  ".join(parts) or "…"))
        problems = [f"{s.driver.value}: {s.detail}" for s in self._drivers.values() if not s.ok]
        self.drivers_label.setToolTip("\n".join(problems))
        bad = any(not s.ok for s in self._drivers.values())
        self.drivers_label.setStyleSheet(f"QLabel {{ color: {RED if bad else GREEN}; font-weight: bold; }}")

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
        handlers = _HANDLERS.get(reply.topic)
        if handlers is None:
            return  # a page's own work: the page that asked listens to the bridge too
        on_value, on_error = handlers
        if reply.error is None:
            on_value(self, reply.value)
        else:
            on_error(self, reply.error)

    def on_users(self, people: tuple[Person, ...]) -> None:
        self.sign_in_dialog.set_users(people)

    def on_users_failed(self, error: BaseException) -> None:
        self.sign_in_dialog.show_error(self.tr("Cannot read the users: %1").replace("%1", str(error)))

    def on_chain(self, report: ChainReport) -> None:
        self._chain_report = report  # shown again in the new language on a language switch
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
        self.lots.set_user(person)
        self.auditor.set_user(person)
        self._show_user(person)
        self.lookup.setEnabled(True)
        self.lookup.message.clear()
        if self.current_page() == LOOKUP_PAGE:
            self.lookup.search.setFocus()
        else:
            self.bench.focus_first_tile()
        self.user_changed.emit(person)

    def _show_user(self, person: Person) -> None:
        who = f"{person.name} ({role_name(person.role)})"
        self.setWindowTitle(self.tr("Refurb Station — %1").replace("%1", who))
        self.user_label.setText(self.tr("Signed in: %1").replace("%1", who))

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
        self.save_window_state()
        self.sign_in_dialog.close()
        if self.settings_dialog is not None:
            self.settings_dialog.close()
        super().closeEvent(event)


# Plain functions, not bound methods kept on the window: a window in a reference cycle would wait for a garbage
# collection, and one that runs on a pool thread must never be what destroys a widget.
_HANDLERS: dict[str, tuple[Callable[[MainWindow, Any], None], Callable[[MainWindow, BaseException], None]]] = {
    USERS: (MainWindow.on_users, MainWindow.on_users_failed),
    LOOKUP: (MainWindow.on_device, MainWindow.on_lookup_failed),
    CHAIN: (MainWindow.on_chain, MainWindow.on_chain_failed),
}
