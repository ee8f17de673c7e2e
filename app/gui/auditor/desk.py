"""The auditor's desk: find devices (server-side filters, paged), read a device's whole history, approve or reject
it with a reason (never one's own work: the service says so), draw the R2v3 erasure QC sample, and see whether the
audit chain holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QItemSelection, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui import tasks as window_tasks
from app.gui.auditor import tasks
from app.gui.auditor.search_model import DeviceSearchModel
from app.gui.bridge import Bridge, Reply
from app.gui.device_view import DevicePanel
from app.gui.history_model import local_time
from app.gui.states import GREEN, RED, state_name
from app.gui.tasks import Person
from app.gui.translations import Retranslating, refresh_model_texts
from app.station import Station
from audit.chain import ChainReport
from audit.errors import ServiceError
from audit.history import DeviceHistory
from audit.lifecycle import DeviceState
from audit.queries import NOT_REVIEWED, DeviceFilter, QcSelection
from audit.rules.errors import RulesError
from audit.rules.grading import CosmeticGrade

HISTORY, REVIEW, QC, CHAIN, TECHNICIANS = (
    "auditor.history",
    "auditor.review",
    "auditor.qc",
    "auditor.chain",
    "auditor.technicians",
)
REVIEWERS = frozenset({"auditor", "admin"})


def _qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _message(error: BaseException) -> str:
    if isinstance(error, ServiceError | RulesError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class AuditorDesk(Retranslating, QWidget):
    open_device = Signal(int)

    def __init__(self, station: Station, bridge: Bridge, user: Person | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.bridge = bridge
        self.user = user
        self.device: DeviceHistory | None = None
        # What the state-dependent texts were made from: drawn again in a new language.
        self._chain: ChainReport | BaseException | None = None
        self._qc: QcSelection | None = None
        self._count: Callable[[], str] | None = None

        # Chain status.
        self.chain_label = QLabel()
        self.verify_button = QPushButton()

        # Search form.
        self.identifier = QLineEdit()
        self.lot = QLineEdit()
        self.use_dates = QCheckBox()
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.technician = QComboBox()
        self.technician.addItem("", "")  # "Anyone": texts of the items are set by retranslate()
        self.state = QComboBox()
        self.state.addItem("", "")
        for state in DeviceState:
            self.state.addItem("", state.value)
        self.grade = QComboBox()
        self.grade.addItem("", "")
        for grade in CosmeticGrade.best_first():
            self.grade.addItem(grade.label, grade.value)
        self.review = QComboBox()
        for value in ("", "approved", "rejected", NOT_REVIEWED):
            self.review.addItem("", value)
        self.search_button = QPushButton()
        self.search_button.setDefault(True)
        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        self.form_labels = [QLabel() for _ in range(7)]
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.date_to)
        for label, field in zip(
            self.form_labels,
            (self.identifier, self.lot, dates, self.technician, self.state, self.grade, self.review),
            strict=True,
        ):
            form.addRow(label, field)
            label.setBuddy(field if isinstance(field, QWidget) else self.use_dates)
        form.addRow(self.search_button)

        # Results.
        self.results = DeviceSearchModel(station, bridge, self)
        self.table = QTableView()
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count_label = QLabel()
        self.more_button = QPushButton()
        self.more_button.setEnabled(False)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.more_button)
        results_box = QWidget()
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.form_box)
        results_layout.addWidget(self.table, 1)
        results_layout.addLayout(counts)

        # The selected device and the review.
        self.panel = DevicePanel()
        self.panel.hide()
        self.reason = QLineEdit()
        self.approve_button = QPushButton()
        self.reject_button = QPushButton()
        self.list_on_approval = QCheckBox()
        self.review_message = QLabel()
        self.review_message.setWordWrap(True)
        review_row = QHBoxLayout()
        review_row.addWidget(self.reason, 1)
        review_row.addWidget(self.approve_button)
        review_row.addWidget(self.reject_button)
        device_box = QWidget()
        device_layout = QVBoxLayout(device_box)
        device_layout.setContentsMargins(0, 0, 0, 0)
        device_layout.addWidget(self.panel, 1)
        device_layout.addLayout(review_row)
        device_layout.addWidget(self.list_on_approval)
        device_layout.addWidget(self.review_message)
        splitter = QSplitter()
        splitter.addWidget(results_box)
        splitter.addWidget(device_box)
        splitter.setStretchFactor(0, 1)  # the results' seven columns need about half the width to be read at once
        splitter.setStretchFactor(1, 1)

        # The R2v3 erasure QC sample.
        first_of_month = QDate(today.year(), today.month(), 1)
        self.qc_from = QDateEdit(first_of_month)
        self.qc_to = QDateEdit(today)
        for edit in (self.qc_from, self.qc_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.qc_button = QPushButton()
        self.qc_summary = QLabel()
        self.qc_summary.setWordWrap(True)
        self.qc_table = QTableWidget(0, 7)
        self.qc_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.qc_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.qc_table.verticalHeader().hide()
        self.qc_table.horizontalHeader().setStretchLastSection(True)
        qc_box = QWidget()
        qc_layout = QVBoxLayout(qc_box)
        period = QHBoxLayout()
        self.qc_from_label, self.qc_to_label = QLabel(), QLabel()
        period.addWidget(self.qc_from_label)
        period.addWidget(self.qc_from)
        period.addWidget(self.qc_to_label)
        period.addWidget(self.qc_to)
        period.addWidget(self.qc_button)
        period.addStretch(1)
        qc_layout.addLayout(period)
        qc_layout.addWidget(self.qc_summary)
        qc_layout.addWidget(self.qc_table, 1)
        self._qc_devices: list[int] = []

        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(qc_box, "")
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.chain_label, 1)
        chain_row.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(chain_row)
        layout.addWidget(self.tabs, 1)

        self.retranslate()
        self._set_user(user)
        self._connect_signals()
        self.verify_chain()
        station_ref = station
        self.bridge.submit(TECHNICIANS, lambda: tasks.technicians(station_ref))

    def _connect_signals(self) -> None:
        self.bridge.replied.connect(self.on_reply)
        self.search_button.clicked.connect(self.search)
        for field in (self.identifier, self.lot):
            field.returnPressed.connect(self.search)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.more_button.clicked.connect(self.on_more)
        self.results.loaded.connect(self.on_page)
        self.results.failed.connect(self.on_search_failed)
        self.table.selectionModel().selectionChanged.connect(self.on_selection)
        self.table.doubleClicked.connect(self.on_double_click)
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject)
        self.qc_button.clicked.connect(self.draw_sample)
        self.qc_table.cellDoubleClicked.connect(self.on_qc_double_click)
        self.verify_button.clicked.connect(self.verify_chain)

    def _set_user(self, user: Person | None) -> None:
        self.user = user
        self._update_review_buttons()

    def set_user(self, user: Person | None) -> None:
        self._set_user(user)

    # --- language -------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text of the desk in the language just installed (at start, and on QEvent.LanguageChange)."""
        self.chain_label.setAccessibleName(self.tr("Audit chain status"))
        self.verify_button.setText(self.tr("&Verify the chain"))
        self.identifier.setPlaceholderText(self.tr("IMEI or serial (the start is enough)"))
        self.identifier.setAccessibleName(self.tr("IMEI or serial"))
        self.lot.setAccessibleName(self.tr("Lot reference"))
        self.use_dates.setText(self.tr("Active between"))
        self.technician.setAccessibleName(self.tr("Technician"))
        self.technician.setItemText(0, self.tr("Anyone"))
        self.state.setAccessibleName(self.tr("State"))
        self.state.setItemText(0, self.tr("Any state"))
        for position in range(1, self.state.count()):
            self.state.setItemText(position, state_name(self.state.itemData(position)))
        self.grade.setAccessibleName(self.tr("Grade"))
        self.grade.setItemText(0, self.tr("Any grade"))
        self.review.setAccessibleName(self.tr("Verdict"))
        for position, text in enumerate(
            (self.tr("Any verdict"), self.tr("Approved"), self.tr("Rejected"), self.tr("Not reviewed"))
        ):
            self.review.setItemText(position, text)
        self.search_button.setText(self.tr("&Search"))
        self.form_box.setTitle(self.tr("Find devices"))
        for label, text in zip(
            self.form_labels,
            (
                self.tr("IMEI / serial:"),
                self.tr("Lot:"),
                self.tr("Date:"),
                self.tr("Technician:"),
                self.tr("State:"),
                self.tr("Grade:"),
                self.tr("Verdict:"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.table.setAccessibleName(self.tr("Search results"))
        self.count_label.setAccessibleName(self.tr("Result count"))
        self.more_button.setText(self.tr("Load &more"))
        self.reason.setPlaceholderText(self.tr("Reason (required to reject)"))
        self.reason.setAccessibleName(self.tr("Review reason"))
        self.approve_button.setText(self.tr("&Approve"))
        self.reject_button.setText(self.tr("&Reject"))
        self.list_on_approval.setText(self.tr("Lis&t on Back Market"))
        self.list_on_approval.setToolTip(
            self.tr("The listing is queued in the same step as the approval; if it cannot be priced, nothing is done.")
        )
        self.review_message.setAccessibleName(self.tr("Review message"))
        self.qc_button.setText(self.tr("&Draw the sample"))
        self.qc_summary.setAccessibleName(self.tr("QC sample summary"))
        self.qc_table.setAccessibleName(self.tr("QC sample"))
        self.qc_table.setHorizontalHeaderLabels(
            [
                self.tr("Erasure"),
                self.tr("Device"),
                self.tr("Erased by"),
                self.tr("When"),
                self.tr("Method"),
                self.tr("NIST level"),
                self.tr("State"),
            ]
        )
        self.qc_from_label.setText(self.tr("Erasures from"))
        self.qc_to_label.setText(self.tr("to"))
        self.tabs.setTabText(0, self.tr("Devices"))
        self.tabs.setTabText(1, self.tr("Erasure QC (R2v3)"))
        self._update_review_buttons()
        if isinstance(self._chain, ChainReport):
            self.on_chain(self._chain)
        elif isinstance(self._chain, BaseException):
            self.on_chain_failed(self._chain)
        else:
            self.chain_label.setText(self.tr("Audit chain not verified yet"))
        if self._qc is not None:
            self.on_qc(self._qc)
        if self._count is not None:
            self.count_label.setText(self._count())
        refresh_model_texts(self.results)

    def _update_review_buttons(self) -> None:
        may_review = self.user is not None and self.user.role in REVIEWERS
        certified = self.device is not None and self.device.state == DeviceState.CERTIFIED.value
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(may_review and certified)
            button.setToolTip("" if may_review else self.tr("Reviews are for auditors"))

    # --- searching ------------------------------------------------------------------------------------------------

    def filters(self) -> DeviceFilter:
        use_dates = self.use_dates.isChecked()
        state = self.state.currentData()
        return DeviceFilter(
            identifier=self.identifier.text().strip(),
            lot=self.lot.text().strip(),
            active_from=_qdate(self.date_from.date()) if use_dates else None,
            active_to=_qdate(self.date_to.date()) if use_dates else None,
            technician=self.technician.currentData() or "",
            states=(state,) if state else (),
            grade=self.grade.currentData() or "",
            review=self.review.currentData() or "",
        )

    def _show_count(self, text: Callable[[], str]) -> None:
        self._count = text
        self.count_label.setText(text())

    def search(self) -> None:
        self._show_count(lambda: self.tr("Searching…"))
        self.more_button.setEnabled(False)
        self.results.search(self.filters())

    def on_more(self) -> None:
        self.more_button.setEnabled(False)
        self.results.fetchMore(QModelIndex())

    def on_page(self) -> None:
        shown, total, total_text = self.results.rowCount(), self.results.total, self.results.total_text
        if total == 0:
            self._show_count(lambda: self.tr("No device matches."))
        else:
            self._show_count(
                lambda: self.tr("Showing %1 of %2 devices").replace("%1", f"{shown:,}").replace("%2", total_text)
            )
        self.more_button.setEnabled(self.results.canFetchMore(QModelIndex()))

    def on_search_failed(self, error: BaseException) -> None:
        self._show_count(lambda: self.tr("The search failed: %1").replace("%1", _message(error)))

    def on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.show_device(self.results.row(indexes[0].row()).device_id)

    def on_double_click(self, index: QModelIndex) -> None:
        self.open_device.emit(self.results.row(index.row()).device_id)

    def show_device(self, device_id: int) -> None:
        station = self.station
        self.review_message.clear()
        self.bridge.submit(HISTORY, lambda: tasks.history(station, device_id))

    # --- reviewing ------------------------------------------------------------------------------------------------

    def approve(self) -> None:
        self._review(tasks.approve_and_list if self.list_on_approval.isChecked() else tasks.approve)

    def reject(self) -> None:
        self._review(tasks.reject)

    def _review(self, work: Callable[[Station, str, int, str], DeviceHistory]) -> None:
        if self.device is None or self.user is None:
            return
        station, actor, device_id, reason = self.station, self.user.name, self.device.device_id, self.reason.text()
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.bridge.submit(REVIEW, lambda: work(station, actor, device_id, reason))

    # --- QC and chain ---------------------------------------------------------------------------------------------

    def draw_sample(self) -> None:
        if self.user is None:
            return
        station, auditor = self.station, self.user.name
        start, end = _qdate(self.qc_from.date()), _qdate(self.qc_to.date())
        self.qc_summary.setText(self.tr("Drawing the sample…"))
        self.bridge.submit(QC, lambda: tasks.qc_sample(station, auditor, start, end))

    def on_qc_double_click(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._qc_devices):
            self.tabs.setCurrentIndex(0)
            self.show_device(self._qc_devices[row])

    def verify_chain(self) -> None:
        station = self.station
        self.chain_label.setText(self.tr("Checking the audit chain…"))
        self.bridge.submit(CHAIN, lambda: window_tasks.verify_chain(station))

    # --- replies --------------------------------------------------------------------------------------------------

    def on_reply(self, reply: Reply) -> None:
        handlers = _HANDLERS.get(reply.topic)
        if handlers is None or not self.bridge.is_latest(reply):
            return
        on_value, on_error = handlers
        if reply.error is None:
            on_value(self, reply.value)
        else:
            on_error(self, reply.error)

    def on_history(self, history: DeviceHistory) -> None:
        self.device = history
        self.panel.show_device(history)
        self.panel.show()
        self.results.set_state(history.device_id, history.state)
        self._update_review_buttons()

    def on_history_failed(self, error: BaseException) -> None:
        self._say(_message(error), RED)

    def on_reviewed(self, history: DeviceHistory) -> None:
        verdict = state_name(history.state)
        self.reason.clear()
        self.on_history(history)
        self._say(self.tr("%1: now %2.").replace("%1", history.label).replace("%2", verdict), GREEN)

    def on_review_failed(self, error: BaseException) -> None:
        self._update_review_buttons()
        self._say(_message(error), RED)

    def on_qc(self, selection: QcSelection) -> None:
        self._qc = selection
        sample = selection.sample
        text = self.tr("%1 erasures from %2 to %3: %4 to re-verify (5 %), %5 drawn for you (seed “%6”).")
        for marker, value in (
            ("%1", str(sample.population)),
            ("%2", selection.period_start.isoformat()),
            ("%3", selection.period_end.isoformat()),
            ("%4", str(sample.required)),
            ("%5", str(len(selection.candidates))),
            ("%6", sample.seed),
        ):
            text = text.replace(marker, value)
        if sample.shortfall:
            text += " " + self.tr("%1 more must go to another auditor: you erased them.").replace(
                "%1", str(sample.shortfall)
            )
        self.qc_summary.setText(text)
        self.qc_summary.setStyleSheet(f"QLabel {{ color: {RED}; }}" if sample.shortfall else "")
        self.qc_table.setRowCount(len(selection.candidates))
        self._qc_devices = [candidate.device_id for candidate in selection.candidates]
        for row, candidate in enumerate(selection.candidates):
            for column, value in enumerate(
                (
                    f"#{candidate.erasure_id}",
                    candidate.device,
                    candidate.performed_by,
                    local_time(candidate.recorded_at),
                    candidate.method,
                    candidate.nist_level,
                    state_name(candidate.device_state),
                )
            ):
                self.qc_table.setItem(row, column, QTableWidgetItem(value))

    def on_qc_failed(self, error: BaseException) -> None:
        self.qc_summary.setText(_message(error))
        self.qc_summary.setStyleSheet(f"QLabel {{ color: {RED}; }}")

    def on_chain(self, report: ChainReport) -> None:
        self._chain = report
        if report.valid:
            text = self.tr("Audit chain valid: %1 events").replace("%1", str(report.events_checked))
            colour = GREEN
        else:
            first = report.problems[0]
            text = self.tr("Audit chain BROKEN at #%1: %2").replace("%1", str(first.seq))
            text = text.replace("%2", first.problem)
            colour = RED
        self.chain_label.setText(text)
        self.chain_label.setToolTip(report.summary())
        self.chain_label.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")

    def on_chain_failed(self, error: BaseException) -> None:
        self._chain = error
        self.chain_label.setText(self.tr("Audit chain not verified: %1").replace("%1", _message(error)))
        self.chain_label.setStyleSheet(f"QLabel {{ color: {RED}; font-weight: bold; }}")

    def on_technicians(self, names: tuple[str, ...]) -> None:
        current = self.technician.currentData()
        self.technician.clear()
        self.technician.addItem(self.tr("Anyone"), "")
        for name in names:
            self.technician.addItem(name, name)
        self.technician.setCurrentIndex(max(0, self.technician.findData(current)))

    def on_technicians_failed(self, error: BaseException) -> None:
        self._say(_message(error), RED)

    def _say(self, text: str, colour: str) -> None:
        self.review_message.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")
        self.review_message.setText(text)


_HANDLERS: dict[str, tuple[Callable[[AuditorDesk, Any], None], Callable[[AuditorDesk, BaseException], None]]] = {
    HISTORY: (AuditorDesk.on_history, AuditorDesk.on_history_failed),
    REVIEW: (AuditorDesk.on_reviewed, AuditorDesk.on_review_failed),
    QC: (AuditorDesk.on_qc, AuditorDesk.on_qc_failed),
    CHAIN: (AuditorDesk.on_chain, AuditorDesk.on_chain_failed),
    TECHNICIANS: (AuditorDesk.on_technicians, AuditorDesk.on_technicians_failed),
}
