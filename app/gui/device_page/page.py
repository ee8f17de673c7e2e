"""One device's page: identity, battery, locks, functional tests, cosmetic grade, erasure, report and label.

Every read and write goes to the pool through the bridge (``work.py``) and comes back to ``on_reply``, routed by
topic. Checklist answers are sent one at a time, in the order they were given, so that the last answer to a step is
always the one recorded last. The window that opens the page listens to its signals:

* ``state_changed(device_id, state)`` after any change of the device's state (the bench tile follows it),
* ``certificate_issued(device_id, certificate_id)``,
* ``notice(text)`` for the status bar, ``refreshed()`` each time the page shows fresh records.
"""

from __future__ import annotations

import collections
import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.gui.bridge import Bridge, Reply
from app.gui.device_page import work
from app.gui.device_page.checklist import ChecklistTab
from app.gui.device_page.documents_tab import LabelTab, ReportTab
from app.gui.device_page.eraser import Eraser
from app.gui.device_page.erasure_tab import ErasureProgress, ErasureTab
from app.gui.device_page.grading_tab import GradingTab, describe_decision
from app.gui.device_page.readings_tabs import BatteryTab, LocksTab
from app.gui.device_view import DevicePanel
from app.gui.states import GREEN, ORANGE, RED, state_colour, state_name
from app.gui.tasks import Person
from app.gui.translations import Retranslating
from app.station import Station
from audit.readings import CosmeticDefect, FunctionalResult, LockKind, LockState, MeasuredBy, TestOutcome
from audit.roles import Action, Role, may
from audit.rules.functional import load_test_plan
from audit.rules.grading import GradeDecision

log = logging.getLogger(__name__)

_pages = itertools.count(1)

LOAD, START, ANSWER, DEFECT, FINISH, GRADE, PHOTOS, ERASE, CERTIFY, REPORT, LABEL, PRINT, COLOUR, LOCK_CHECK = (
    "load",
    "start",
    "answer",
    "defect",
    "finish",
    "grade",
    "photos",
    "erase",
    "certify",
    "report",
    "label",
    "print",
    "colour",
    "lock_check",
)


class DevicePage(Retranslating, QWidget):
    state_changed = Signal(int, str)
    certificate_issued = Signal(int, str)
    notice = Signal(str)
    refreshed = Signal()

    def __init__(
        self,
        station: Station,
        bridge: Bridge,
        user: Person,
        device_id: int,
        *,
        eraser: Eraser | None = None,
        label_printer: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.bridge = bridge
        self.user = user
        self.device_id = device_id
        self.eraser = eraser
        self.label_printer = label_printer
        self.data: work.PageData | None = None
        self._prefix = f"device_page/{next(_pages)}/"
        self._answers: collections.deque[tuple[str, TestOutcome, str]] = collections.deque()
        self._answer_in_flight: dict[int, str] = {}  # ticket -> test id
        self._progress = ErasureProgress.of(bridge)
        self._first_load = True
        self._stale_documents: set[QWidget] = set()

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.state = QLabel()
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        for label, points in ((self.title, 6), (self.state, 12), (self.message, 2)):
            font = QFont(label.font())
            font.setPointSizeF(font.pointSizeF() + points)
            font.setBold(True)
            label.setFont(font)

        self.identity = DevicePanel(colour_editable=True)
        self.identity.title.hide()
        self.identity.state.hide()
        self.identity.reason.hide()
        self.battery = BatteryTab()
        self.locks = LocksTab()
        self.checklist = ChecklistTab()
        self.checklist.user_name = user.name
        self.grading = GradingTab()
        self.erasure = ErasureTab()
        self.report = ReportTab()
        self.label = LabelTab()
        self.label.set_printer(label_printer)
        self.tabs = QTabWidget()
        for widget in (
            self.identity,
            self.battery,
            self.locks,
            self.checklist,
            self.grading,
            self.erasure,
            self.report,
            self.label,
        ):
            self.tabs.addTab(widget, "")
        self.retranslate()

        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.state, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.bridge.replied.connect(self.on_reply)
        self._progress.advanced.connect(self.on_erasure_progress)
        self.checklist.answered.connect(self.on_answered)
        self.checklist.finish_requested.connect(self.on_finish)
        self.checklist.start_requested.connect(self.on_start)
        self.grading.defect_requested.connect(self.on_defect)
        self.grading.grade_requested.connect(self.on_grade)
        self.grading.photos_requested.connect(self.on_photos)
        self.erasure.erase_requested.connect(self.on_erase)
        self.erasure.certify_requested.connect(self.on_certify)
        self.report.refresh_requested.connect(self.on_report)
        self.label.refresh_requested.connect(self.on_label)
        self.label.print_requested.connect(self.on_print)
        self.tabs.currentChanged.connect(self.on_tab)
        self.identity.colour_requested.connect(self.on_colour)
        self.locks.check_requested.connect(self.on_lock_check)
        # Finishing is the last step of the checklist and of the defects alike: the shortcut works on every tab.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            finish = QShortcut(QKeySequence(keys), self)
            finish.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            finish.activated.connect(self.checklist.on_finish)
        for number in range(1, self.tabs.count() + 1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda index=number - 1: self.tabs.setCurrentIndex(index))

    # --- language

    def retranslate(self) -> None:
        """The page's texts in the language just installed; what the records say is drawn again from them (each tab
        translates its own fixed texts on the same event)."""
        for position, caption in enumerate(
            (
                self.tr("&Identity"),
                self.tr("&Battery"),
                self.tr("&Locks"),
                self.tr("Functional &tests"),
                self.tr("Cosmetic &grade"),
                self.tr("&Erasure"),
                self.tr("&Report"),
                self.tr("L&abel"),
            )
        ):
            self.tabs.setTabText(position, caption)
        self.state.setAccessibleName(self.tr("Device state"))
        self.message.setAccessibleName(self.tr("Page message"))
        if self.data is None:
            self.title.setText(self.tr("Loading device #%1…").replace("%1", str(self.device_id)))
        else:
            self._show(self.data)

    # --- work out

    def _submit(self, kind: str, job: Callable[[], Any]) -> int:
        return self.bridge.submit(self._prefix + kind, job)

    def reload(self) -> None:
        station, device_id = self.station, self.device_id
        self._submit(LOAD, lambda: work.load_page(station, device_id))

    def on_colour(self, colour: str) -> None:
        if self.data is None:
            return
        station, actor, device_id, version = self.station, self.user.name, self.device_id, self.data.history.version
        self._submit(COLOUR, lambda: work.set_colour(station, actor, device_id, colour, version))

    def on_start(self) -> None:
        station, actor, device_id = self.station, self.user.name, self.device_id
        self._submit(START, lambda: work.start_inspection(station, actor, device_id))

    def on_lock_check(self, kind: LockKind, state: LockState, note: str) -> None:
        if self.data is None or self.data.open_inspection is None:
            return
        station, actor, inspection = self.station, self.user.name, self.data.open_inspection
        self._submit(LOCK_CHECK, lambda: work.check_lock(station, actor, inspection, kind, state, note))

    def on_answered(self, test_id: str, outcome: TestOutcome, note: str) -> None:
        self._answers.append((test_id, outcome, note))
        self._send_next_answer()

    def _send_next_answer(self) -> None:
        if self._answer_in_flight or not self._answers or self.data is None:
            return
        inspection = self.data.open_inspection
        test_id, outcome, note = self._answers.popleft()
        if inspection is None:
            self.checklist.give_back(test_id, self.checklist.previous_answer(test_id))
            return
        reading = FunctionalResult(test_id, outcome, MeasuredBy.MANUAL, note)
        station, actor = self.station, self.user.name
        ticket = self._submit(ANSWER, lambda: work.record(station, actor, inspection, reading))
        self._answer_in_flight[ticket] = test_id

    @property
    def busy_answering(self) -> bool:
        return bool(self._answers or self._answer_in_flight)

    def on_finish(self) -> None:
        if self.data is None or self.data.open_inspection is None:
            return
        if self.busy_answering:
            self.checklist.show_result(self.tr("Still saving answers: finish again in a moment."), ORANGE)
            return
        station, actor, inspection = self.station, self.user.name, self.data.open_inspection
        self.checklist.show_result(self.tr("Finishing the inspection…"), ORANGE)
        self._submit(FINISH, lambda: work.finish(station, actor, inspection))

    def on_defect(self, defect: CosmeticDefect) -> None:
        if self.data is None or self.data.open_inspection is None:
            return
        station, actor, inspection = self.station, self.user.name, self.data.open_inspection
        self._submit(DEFECT, lambda: work.record(station, actor, inspection, defect))

    def on_grade(self, genuine_parts: bool | None) -> None:
        if self.data is None:
            return
        station, actor, device_id, version = self.station, self.user.name, self.device_id, self.data.history.version
        self._submit(GRADE, lambda: work.grade(station, actor, device_id, genuine_parts, version))

    def on_photos(self, paths: tuple[Path, ...], view: str) -> None:
        station, actor, device_id = self.station, self.user.name, self.device_id
        self.grading.say_photos(self.tr("Copying %1 photo(s)…").replace("%1", str(len(paths))))
        self._submit(PHOTOS, lambda: work.attach_photos(station, actor, device_id, paths, view))

    def on_erase(self) -> None:
        if self.data is None or self.eraser is None or self.erasure.running:
            return
        progress = self._progress.reporter(self._prefix + ERASE)
        station, actor, eraser, target = self.station, self.user.name, self.eraser, self.data.target
        self.say("")
        self.erasure.begin()
        self._submit(ERASE, lambda: work.erase_and_certify(station, actor, eraser, target, progress))

    def on_erasure_progress(self, topic: str, percent: int, text: str) -> None:
        if topic == self._prefix + ERASE and self.erasure.running:
            self.erasure.on_progress(percent, text)

    def on_certify(self) -> None:
        station, actor, device_id = self.station, self.user.name, self.device_id
        self._submit(CERTIFY, lambda: work.certify(station, actor, device_id))

    def on_report(self) -> None:
        station, device_id = self.station, self.device_id
        self.report.say(self.tr("Rendering the report…"))
        self._submit(REPORT, lambda: work.device_report_pdf(station, device_id))

    def on_label(self) -> None:
        station, device_id = self.station, self.device_id
        self.label.say(self.tr("Rendering the label…"))
        self._submit(LABEL, lambda: work.label_pdf(station, device_id))

    def on_print(self) -> None:
        if self.label_printer is None:
            return
        station, device_id, printer = self.station, self.device_id, self.label_printer
        self._submit(PRINT, lambda: work.print_label(station, device_id, printer))

    def on_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget not in self._stale_documents:
            return
        self._stale_documents.discard(widget)
        if widget is self.report:
            self.on_report()
        elif widget is self.label:
            self.on_label()

    # --- replies in

    def on_reply(self, reply: Reply) -> None:
        if not reply.topic.startswith(self._prefix):
            return
        kind = reply.topic[len(self._prefix) :]
        handler = {
            LOAD: self._on_loaded,
            START: self._on_changed,
            ANSWER: self._on_answer_recorded,
            DEFECT: self._on_changed,
            FINISH: self._on_finished,
            GRADE: self._on_graded,
            PHOTOS: self._on_photos_attached,
            ERASE: self._on_erased,
            CERTIFY: self._on_certified,
            REPORT: self._on_report,
            LABEL: self._on_label,
            PRINT: self._on_printed,
            COLOUR: self._on_colour_saved,
            LOCK_CHECK: self._on_lock_checked,
        }[kind]
        handler(reply)

    def _problem(self, reply: Reply) -> str:
        return str(reply.error) if reply.error is not None else ""

    def say(self, text: str, colour: str = GREEN) -> None:
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.message.setText(text)
        if text:
            self.notice.emit(text)

    def _on_loaded(self, reply: Reply) -> None:
        if not self.bridge.is_latest(reply):
            return  # a newer load is on its way
        if not reply.ok:
            self.say(self._problem(reply), RED)
            return
        data: work.PageData = reply.value
        previous_state = self.data.history.state if self.data is not None else None
        self.data = data
        self._show(data)
        # The documents state what the records say: rendered again from the new records when next looked at.
        self._stale_documents = {self.report, self.label}
        self.on_tab(self.tabs.currentIndex())
        if previous_state is not None and previous_state != data.history.state:
            self.state_changed.emit(self.device_id, data.history.state)
        self.refreshed.emit()

    def _show(self, data: work.PageData) -> None:
        history, report = data.history, data.report
        self.title.setText(history.label)
        self.state.setText(f" {state_name(history.state)} ")
        self.state.setStyleSheet(
            f"QLabel {{ background: {state_colour(history.state)}; color: white; border-radius: 6px;"
            " padding: 4px 14px; }"
        )
        self.reason.setText(history.state_reason)
        self.identity.show_device(history)
        channel = report.channel if report is not None else ""
        self.battery.show_battery(report.battery if report else None, data.family, channel or "backmarket_pro")
        open_inspection = data.open_inspection is not None
        # The service checks the role; the page only mirrors it (no button an auditor would be refused).
        may_check = open_inspection and may(Role(self.user.role), Action.INSPECT)
        self.locks.show_locks(report.locks if report else None, can_check=may_check)
        if not self.busy_answering:
            self.checklist.show_plan(
                load_test_plan(data.family),
                report.functional if report else (),
                open_inspection=open_inspection,
                state=history.state,
            )
        genuine = None
        for line in report.functional if report else ():
            if line.test_id == "genuine_parts" and line.outcome in (TestOutcome.PASS, TestOutcome.FAIL):
                genuine = line.outcome == TestOutcome.PASS
        self.grading.show_grading(
            data.family,
            report.defects if report else (),
            report.grade if report else None,
            can_record=open_inspection,
            can_grade=history.state in ("inspected", "graded"),
            genuine_parts=genuine,
        )
        self.grading.show_photos(data.photos, self.station.data_dir)
        method = self.eraser.method(data.target) if self.eraser else self.tr("No eraser is connected for this device.")
        self.erasure.show_erasure(method, history.state if self.eraser else "", report.erasure if report else None)
        if self._first_load:
            self._first_load = False
            self.tabs.setCurrentWidget(self._next_step_tab(history.state, open_inspection))

    def _next_step_tab(self, state: str, open_inspection: bool) -> QWidget:
        if open_inspection:
            return self.checklist
        if state == "inspected":
            return self.grading
        if state in ("graded", "erased"):
            return self.erasure
        return self.identity

    def _on_changed(self, reply: Reply) -> None:
        if not reply.ok:
            self.say(self._problem(reply), RED)
        else:
            self.say("")
        self.reload()

    def _on_colour_saved(self, reply: Reply) -> None:
        self.identity.colour_answered(saved=reply.ok)
        if not reply.ok:
            self.say(self._problem(reply), RED)
            return
        self.say(self.tr("Colour saved."))
        self.reload()

    def _on_lock_checked(self, reply: Reply) -> None:
        if reply.ok:
            self.locks.check_recorded(reply.value)
        else:
            self.locks.say(self._problem(reply), RED)  # what was typed is kept for the next try
        self.reload()

    def _on_answer_recorded(self, reply: Reply) -> None:
        test_id = self._answer_in_flight.pop(reply.ticket)
        previous = self.checklist.previous_answer(test_id)
        if reply.ok:
            self.checklist.confirm(test_id)
        else:
            self.checklist.give_back(test_id, previous)
            self.checklist.show_result(self._problem(reply), RED)
            # The inspection may have been closed under us (quarantined): what follows would be refused too.
            self._answers.clear()
            self.reload()
        self._send_next_answer()
        if not self.busy_answering:
            self.refreshed.emit()

    def _on_finished(self, reply: Reply) -> None:
        if not reply.ok:
            self.checklist.show_result(self._problem(reply), RED)
            return
        outcome = reply.value
        colour = GREEN if outcome.state.value == "inspected" else ORANGE if outcome.state.value == "repair" else RED
        text = f"{state_name(outcome.state.value)}: " + "; ".join(outcome.reasons)
        self.checklist.show_result(text, colour)
        self.reload()

    def _on_graded(self, reply: Reply) -> None:
        if not reply.ok:
            self.say(self._problem(reply), RED)
        else:
            decision: GradeDecision = reply.value
            self.say(self.tr("Graded %1: %2").replace("%1", describe_decision(decision)).replace("%2", decision.reason))
        self.reload()

    def _on_photos_attached(self, reply: Reply) -> None:
        if not reply.ok:
            self.grading.say_photos(self._problem(reply), problem=True)
        elif reply.value:
            self.grading.say_photos("\n".join(reply.value), problem=True)
        else:
            self.grading.say_photos(self.tr("Photos attached."))
        self.reload()

    def _on_erased(self, reply: Reply) -> None:
        self.erasure.end()
        if not reply.ok:
            self.erasure.say(self._problem(reply), RED)
        else:
            done: work.ErasureDone = reply.value
            if done.certificate_id is not None:
                self.erasure.progress.setValue(100)
                self.erasure.say(self.tr("Erased and certified: %1").replace("%1", done.certificate_id), GREEN)
                self.certificate_issued.emit(self.device_id, done.certificate_id)
            else:
                errors = "; ".join(done.run.outcome.errors) or done.run.outcome.status.value
                self.erasure.say(self.tr("Not erased: %1").replace("%1", errors), RED)
        self.reload()

    def _on_certified(self, reply: Reply) -> None:
        if not reply.ok:
            self.erasure.say(self._problem(reply), RED)
        else:
            self.erasure.say(self.tr("Certified: %1").replace("%1", reply.value), GREEN)
            self.certificate_issued.emit(self.device_id, reply.value)
        self.reload()

    def _on_report(self, reply: Reply) -> None:
        if not reply.ok:
            self.report.show_pdf(None, self._problem(reply))
            return
        self.report.show_pdf(
            reply.value,
            self.tr("The report renderer (reports.device_report) is not installed: see the history on Identity."),
        )

    def _on_label(self, reply: Reply) -> None:
        if not reply.ok:
            self.label.show_pdf(None, self._problem(reply))
            return
        self.label.show_pdf(reply.value, self.tr("The label renderer (reports.labels) is not installed."))

    def _on_printed(self, reply: Reply) -> None:
        if not reply.ok:
            self.label.say(self._problem(reply), problem=True)
        else:
            self.label.say(str(reply.value))
