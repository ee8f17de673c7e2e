"""The lots page: receive a partner's lot from its CSV, scan devices into the active lot, watch it reconcile.

Scans come from the scan field or from a keyboard-wedge scanner anywhere on the page (``ScannerFilter``). Work
goes to the pool through the bridge; replies come back to ``on_reply``, routed by topic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.bridge import Bridge, Reply
from app.gui.device_lookup import ScanField
from app.gui.lots import tasks
from app.gui.lots.lines_model import LotLinesModel
from app.gui.lots.scanner import ScannerFilter
from app.gui.states import GREEN, RED
from app.gui.tasks import Person
from app.gui.translations import Retranslating, refresh_model_texts
from app.station import Station
from audit.errors import ServiceError
from audit.queries import LotBrief, LotSummary
from audit.rules.errors import RulesError
from audit.services.lots import LotFileRejected, ScanResult

LIST, SUMMARY, IMPORT, SCAN, EXPORT = "lots.list", "lots.summary", "lots.import", "lots.scan", "lots.export"
REFRESH_MS = 3000
RECEIVERS = frozenset({"warehouse", "admin"})


def _message(error: BaseException) -> str:
    if isinstance(error, ServiceError | RulesError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class LotsPage(Retranslating, QWidget):
    open_device = Signal(int)  # a scanned line's device, double-clicked
    active_lot_changed = Signal(str)

    def __init__(
        self,
        station: Station,
        bridge: Bridge,
        user: Person | None,
        parent: QWidget | None = None,
        *,
        refresh_ms: int = REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.bridge = bridge
        self.user = user
        self.active_lot = ""
        self.summary: LotSummary | None = None

        # Receiving a lot.
        self.reference = QLineEdit()
        self.partner = QLineEdit()
        self.quoted_on = QDateEdit(QDate.currentDate())
        self.quoted_on.setCalendarPopup(True)
        self.quoted_on.setDisplayFormat("yyyy-MM-dd")
        self.import_button = QPushButton()
        self.problems = QListWidget()
        self.problems.hide()
        self.receive_box = QGroupBox()
        self.reference_label, self.partner_label, self.quoted_on_label = QLabel(), QLabel(), QLabel()
        receive_form = QFormLayout(self.receive_box)
        receive_form.addRow(self.reference_label, self.reference)
        receive_form.addRow(self.partner_label, self.partner)
        receive_form.addRow(self.quoted_on_label, self.quoted_on)
        for label, field in (
            (self.reference_label, self.reference),
            (self.partner_label, self.partner),
            (self.quoted_on_label, self.quoted_on),
        ):
            label.setBuddy(field)
        receive_form.addRow(self.import_button)
        receive_form.addRow(self.problems)

        # The active lot.
        self.lots = QComboBox()
        self.lots.setMinimumContentsLength(30)
        self.scan_field = ScanField()
        big = QFont(self.scan_field.font())
        big.setPointSizeF(big.pointSizeF() + 4)
        self.scan_field.setFont(big)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setFont(big)
        self.progress = QLabel()
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)

        self.lines = LotLinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.lines)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        lot_row = QHBoxLayout()
        self.active_lot_label = QLabel()
        lot_row.addWidget(self.active_lot_label)
        lot_row.addWidget(self.lots, 1)
        lot_row.addWidget(self.export_button)
        right = QVBoxLayout()
        right.addLayout(lot_row)
        right.addWidget(self.scan_field)
        right.addWidget(self.message)
        right.addWidget(self.progress)
        right.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.receive_box)
        layout.addLayout(right, 1)

        # Installed while the page is shown only: an application-wide filter calls into Python for every Qt event
        # (paint, layout, timers), which costs the bench view tens of ms of GIL waits with 32 devices plugged.
        self.scanner = ScannerFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self.retranslate()
        self._set_user(user)
        self._connect_signals()
        self.reload_lots()

    def _connect_signals(self) -> None:
        self.bridge.replied.connect(self.on_reply)
        self.import_button.clicked.connect(self.on_import_clicked)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.lots.activated.connect(self.on_lot_picked)
        self.scan_field.returnPressed.connect(self.on_scan_field)
        self.scanner.scanned.connect(self.scan)
        self.table.doubleClicked.connect(self.on_double_click)
        self._timer.timeout.connect(self.refresh)

    def _set_user(self, user: Person | None) -> None:
        self.user = user
        may_receive = user is not None and user.role in RECEIVERS
        self.import_button.setEnabled(may_receive)
        self.import_button.setToolTip("" if may_receive else self.tr("Receiving lots is for warehouse staff"))

    def set_user(self, user: Person | None) -> None:
        self._set_user(user)

    # --- language -------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text of the page in the language just installed (at start, and on QEvent.LanguageChange)."""
        self.reference.setPlaceholderText(self.tr("e.g. RSA-2025-118 (the file name if empty)"))
        self.reference.setAccessibleName(self.tr("Lot reference"))
        self.partner.setAccessibleName(self.tr("Partner"))
        self.quoted_on.setAccessibleName(self.tr("Quoted on"))
        self.import_button.setText(self.tr("&Import partner CSV…"))
        self.problems.setAccessibleName(self.tr("Problems in the lot file"))
        self.receive_box.setTitle(self.tr("Receive a lot"))
        self.reference_label.setText(self.tr("Reference:"))
        self.partner_label.setText(self.tr("Partner:"))
        self.quoted_on_label.setText(self.tr("Quoted on:"))
        self.lots.setAccessibleName(self.tr("Active lot"))
        self.scan_field.setPlaceholderText(self.tr("Scan or type an IMEI or serial, then Enter"))
        self.scan_field.setAccessibleName(self.tr("Scan into the lot"))
        self.message.setAccessibleName(self.tr("Lots message"))
        self.progress.setAccessibleName(self.tr("Lot progress"))
        self.export_button.setText(self.tr("&Export lot report…"))
        self.table.setAccessibleName(self.tr("Lot lines"))
        self.active_lot_label.setText(self.tr("Active lot:"))
        self._set_user(self.user)
        if self.summary is not None:
            self._show_progress(self.summary)
        refresh_model_texts(self.lines)

    # --- showing --------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's API
        super().showEvent(event)
        self.scanner.install()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's API
        self._timer.stop()
        self.scanner.uninstall()
        super().hideEvent(event)

    # --- requests -------------------------------------------------------------------------------------------------

    def reload_lots(self) -> None:
        station = self.station
        self.bridge.submit(LIST, lambda: tasks.list_lots(station))

    def refresh(self) -> None:
        """Read the active lot again (on the timer, or when the window hears that a device was graded)."""
        if not self.active_lot:
            return
        station, reference = self.station, self.active_lot
        self.bridge.submit(SUMMARY, lambda: tasks.lot_summary(station, reference))

    def set_active_lot(self, reference: str) -> None:
        self.active_lot = reference
        position = self.lots.findData(reference)
        if position >= 0:
            self.lots.setCurrentIndex(position)
        self.export_button.setEnabled(bool(reference))
        self.active_lot_changed.emit(reference)
        self.refresh()

    def import_file(self, path: str | Path) -> None:
        """Receive the lot in ``path`` with the reference, partner and quote date typed in the form."""
        path = Path(path)
        reference = self.reference.text().strip() or path.stem
        partner = self.partner.text().strip()
        if self.user is None:
            self._say(self.tr("Sign in first."), RED)
            return
        if not partner:
            self._say(self.tr("Type the partner's name before importing its file."), RED)
            self.partner.setFocus()
            return
        quoted = self.quoted_on.date()
        quoted_on = date(quoted.year(), quoted.month(), quoted.day())
        station, actor = self.station, self.user.name
        self.problems.clear()
        self.problems.hide()
        self._say(self.tr("Importing %1…").replace("%1", path.name))
        self.bridge.submit(
            IMPORT,
            lambda: tasks.import_lot_file(
                station, actor, path, reference=reference, partner=partner, quoted_on=quoted_on
            ),
        )

    def scan(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if not self.active_lot:
            self._say(self.tr("Choose or import a lot before scanning: %1 was not recorded.").replace("%1", text), RED)
            return
        if self.user is None:
            self._say(self.tr("Sign in first."), RED)
            return
        station, actor, reference = self.station, self.user.name, self.active_lot
        self._say(self.tr("Scanned %1…").replace("%1", text))
        self.bridge.submit(SCAN, lambda: tasks.scan(station, actor, reference, text))

    def export_report(self, path: str | Path) -> None:
        if not self.active_lot:
            return
        station, reference = self.station, self.active_lot
        self.bridge.submit(EXPORT, lambda: tasks.export_lot(station, reference, path))

    # --- what people do -------------------------------------------------------------------------------------------

    def on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("The partner's lot file"), "", self.tr("CSV files (*.csv *.txt);;All files (*)")
        )
        if path:
            self.import_file(path)

    def on_export_clicked(self) -> None:
        pdf = tasks.pdf_report_available()
        filters = self.tr("PDF lot report (*.pdf);;CSV reconciliation (*.csv)") if pdf else self.tr("CSV (*.csv)")
        suggested = f"lot_{self.active_lot}.{'pdf' if pdf else 'csv'}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the lot report"), suggested, filters)
        if path:
            self.export_report(path)

    def on_lot_picked(self, position: int) -> None:
        reference = self.lots.itemData(position)
        if isinstance(reference, str) and reference != self.active_lot:
            self.set_active_lot(reference)

    def on_scan_field(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        self.scan(text)

    def on_double_click(self, index: QModelIndex) -> None:
        line = self.lines.line(index.row())
        if line.device_id is not None:
            self.open_device.emit(line.device_id)

    # --- replies --------------------------------------------------------------------------------------------------

    def on_reply(self, reply: Reply) -> None:
        handlers = _HANDLERS.get(reply.topic)
        if handlers is None:
            return  # another page's work
        if reply.topic in (LIST, SUMMARY) and not self.bridge.is_latest(reply):
            return  # overtaken by a newer read
        on_value, on_error = handlers
        if reply.error is None:
            on_value(self, reply.value)
        else:
            on_error(self, reply.error)

    def on_lots(self, lots: tuple[LotBrief, ...]) -> None:
        self.lots.clear()
        for lot in lots:
            text = f"{lot.reference} — {lot.partner} ({lot.scanned}/{lot.lines})"
            self.lots.addItem(text, lot.reference)
        if self.active_lot:
            self.lots.setCurrentIndex(self.lots.findData(self.active_lot))
        else:
            self.lots.setCurrentIndex(-1)

    def on_summary(self, summary: LotSummary) -> None:
        if summary.reference != self.active_lot:
            return
        self.summary = summary
        self.lines.set_lines(summary.lines)
        self._show_progress(summary)

    def _show_progress(self, summary: LotSummary) -> None:
        text = self.tr("%1 of %2 scanned · %3 audited · quoted %4 · counter-offer %5")
        for marker, value in (
            ("%1", str(summary.scanned)),
            ("%2", str(len(summary.lines))),
            ("%3", str(summary.audited)),
            ("%4", f"{summary.quoted_total:,.2f} {summary.currency}"),
            ("%5", f"{summary.counter_offer_total:,.2f} {summary.currency}"),
        ):
            text = text.replace(marker, value)
        self.progress.setText(text)

    def on_imported(self, reference: str) -> None:
        self._say(self.tr("Lot %1 received: scan its devices now.").replace("%1", reference), GREEN)
        self.reference.clear()
        self.active_lot = reference
        self.reload_lots()
        self.set_active_lot(reference)

    def on_import_failed(self, error: BaseException) -> None:
        if isinstance(error, LotFileRejected):
            self.problems.clear()
            self.problems.addItems([str(problem) for problem in error.problems])
            self.problems.show()
            count = len(error.problems)
            self._say(self.tr("Nothing imported: %n problem(s) in the file, listed on the left.", "", count), RED)
        else:
            self._say(_message(error), RED)

    def on_scanned(self, result: ScanResult) -> None:
        text = self.tr("%1 is already on line %2.") if result.already_scanned else self.tr("%1 → line %2.")
        self._say(text.replace("%1", result.label).replace("%2", str(result.line_no)), GREEN)
        self.refresh()
        self.reload_lots()

    def on_scan_failed(self, error: BaseException) -> None:
        self._say(_message(error), RED)

    def on_exported(self, path: Path) -> None:
        self._say(self.tr("Lot report saved: %1").replace("%1", str(path)), GREEN)

    def on_export_failed(self, error: BaseException) -> None:
        self._say(self.tr("The lot report was not saved: %1").replace("%1", _message(error)), RED)

    def on_read_failed(self, error: BaseException) -> None:
        self._say(self.tr("Cannot read the lots: %1").replace("%1", _message(error)), RED)

    def _say(self, text: str, colour: str | None = None) -> None:
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}" if colour else "")
        self.message.setText(text)


# Plain functions, not bound methods kept on the page (see main_window.py for why).
_HANDLERS: dict[str, tuple[Callable[[LotsPage, Any], None], Callable[[LotsPage, BaseException], None]]] = {
    LIST: (LotsPage.on_lots, LotsPage.on_read_failed),
    SUMMARY: (LotsPage.on_summary, LotsPage.on_read_failed),
    IMPORT: (LotsPage.on_imported, LotsPage.on_import_failed),
    SCAN: (LotsPage.on_scanned, LotsPage.on_scan_failed),
    EXPORT: (LotsPage.on_exported, LotsPage.on_export_failed),
}
