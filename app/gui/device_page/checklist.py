"""The functional tests: the device class's test plan as a guided checklist answered from the keyboard.

P pass, F fail, S skip, N not applicable, Enter pass; each answer moves to the next unanswered step. The automatic
steps arrive filled in from the results the drivers recorded. Answers go out through the ``answered`` signal; the
page records them and marks each row confirmed (or gives it back) when the service replies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.device_page.samples_plot import SamplesPlot
from app.gui.states import GREEN, GREY, ORANGE, RED
from app.gui.translations import Retranslating, refresh_model_texts
from audit.documents import FunctionalLine
from audit.readings import MeasuredBy, TestOutcome
from audit.rules.functional import TestPlan, TestStep
from reports.device_report import meter_samples

_Index = QModelIndex | QPersistentModelIndex

KEYS: dict[int, TestOutcome] = {
    Qt.Key.Key_P: TestOutcome.PASS,
    Qt.Key.Key_F: TestOutcome.FAIL,
    Qt.Key.Key_S: TestOutcome.SKIPPED,
    Qt.Key.Key_N: TestOutcome.NOT_APPLICABLE,
    Qt.Key.Key_Return: TestOutcome.PASS,
    Qt.Key.Key_Enter: TestOutcome.PASS,
}

OUTCOME_COLOURS = {
    TestOutcome.PASS: GREEN,
    TestOutcome.FAIL: RED,
    TestOutcome.SKIPPED: ORANGE,
    TestOutcome.NOT_APPLICABLE: GREY,
}


def outcome_name(outcome: TestOutcome) -> str:
    names = {
        TestOutcome.PASS: QCoreApplication.translate("Outcome", "Pass"),
        TestOutcome.FAIL: QCoreApplication.translate("Outcome", "Fail"),
        TestOutcome.SKIPPED: QCoreApplication.translate("Outcome", "Skipped"),
        TestOutcome.NOT_APPLICABLE: QCoreApplication.translate("Outcome", "Not applicable"),
    }
    return names[outcome]


@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    outcome: TestOutcome
    measured_by: str
    recorded_by: str
    note: str = ""
    pending: bool = False  # sent, not yet recorded
    evidence: tuple[tuple[str, str], ...] = ()


class ChecklistModel(QAbstractTableModel):
    TEST, HOW, REQUIRED, RESULT, BY = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: tuple[TestStep, ...] = ()
        self._answers: dict[str, Answer] = {}

    def set_plan(self, plan: TestPlan, lines: Sequence[FunctionalLine]) -> None:
        self.beginResetModel()
        self._steps = plan.steps
        self._answers = {
            line.test_id: Answer(
                TestOutcome(line.outcome), line.measured_by, line.recorded_by, line.note, evidence=line.evidence
            )
            for line in lines
        }
        self.endResetModel()

    def step(self, row: int) -> TestStep:
        return self._steps[row]

    def answer(self, row: int) -> Answer | None:
        return self._answers.get(self._steps[row].test_id)

    def set_answer(self, row: int, answer: Answer | None) -> None:
        test_id = self._steps[row].test_id
        if answer is None:
            self._answers.pop(test_id, None)
        else:
            self._answers[test_id] = answer
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.BY))

    def next_unanswered(self, after: int) -> int | None:
        count = len(self._steps)
        for offset in range(1, count + 1):
            row = (after + offset) % count
            if self.answer(row) is None:
                return row
        return None

    def unanswered_required(self) -> tuple[str, ...]:
        return tuple(step.title for row, step in enumerate(self._steps) if step.required and self.answer(row) is None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else 5

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        step = self._steps[index.row()]
        answer = self._answers.get(step.test_id)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TEST:
                return step.title
            if column == self.HOW:
                return self.tr("Automatic") if step.automatic else self.tr("Manual")
            if column == self.REQUIRED:
                return self.tr("Required") if step.required else self.tr("Optional")
            if column == self.RESULT:
                if answer is None:
                    return "—"
                text = outcome_name(answer.outcome)
                if answer.pending:
                    text += " " + self.tr("(saving…)")
                return text + (f": {answer.note}" if answer.note else "")
            if column == self.BY:
                return f"{answer.recorded_by} ({answer.measured_by})" if answer else ""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.RESULT and answer is not None:
            return QBrush(QColor(OUTCOME_COLOURS[answer.outcome]))
        if role == Qt.ItemDataRole.FontRole and column == self.RESULT and answer is not None:
            font = QFont()
            font.setBold(True)
            font.setItalic(answer.pending)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return step.instructions
        return None

    def headerData(  # noqa: N802 - Qt's API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Test"), self.tr("How"), self.tr("Required"), self.tr("Result"), self.tr("By"))[section]


class ChecklistView(QTableView):
    """The table that takes the answer keys; arrows and Page keys move as in any table."""

    answer_key = Signal(int, object)  # row, TestOutcome

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's API
        outcome = KEYS.get(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if outcome is not None and modifiers == Qt.KeyboardModifier.NoModifier and self.currentIndex().isValid():
            self.answer_key.emit(self.currentIndex().row(), outcome)
            event.accept()
            return
        super().keyPressEvent(event)


class ChecklistTab(Retranslating, QWidget):
    answered = Signal(str, object, str)  # test id, TestOutcome, note
    finish_requested = Signal()
    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChecklistModel(self)
        self.view = ChecklistView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ChecklistModel.TEST, QHeaderView.ResizeMode.Stretch)
        for column in (ChecklistModel.HOW, ChecklistModel.REQUIRED, ChecklistModel.RESULT, ChecklistModel.BY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.step_title = QLabel()
        title_font = QFont(self.step_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() + 4)
        title_font.setBold(True)
        self.step_title.setFont(title_font)
        self.instructions = QLabel()
        self.instructions.setWordWrap(True)
        self.instructions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        instructions_font = QFont(self.instructions.font())
        instructions_font.setPointSizeF(instructions_font.pointSizeF() + 2)
        self.instructions.setFont(instructions_font)
        self.keys_hint = QLabel()
        self.keys_hint.setStyleSheet(f"color: {GREY};")
        self.note = QLineEdit()
        self.progress = QLabel()
        self.start_button = QPushButton()
        self.finish_button = QPushButton()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        result_font = QFont(self.result.font())
        result_font.setPointSizeF(result_font.pointSizeF() + 2)
        self.result.setFont(result_font)

        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.step_title)
        layout.addWidget(self.instructions, 1)
        self.samples = SamplesPlot()
        layout.addWidget(self.samples)
        layout.addWidget(self.keys_hint)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.setFocusProxy(self.view)
        self._open = False
        self._state = ""
        self.user_name = ""
        # What each row showed before an answer still being saved: given back if the service refuses it.
        self._pending_previous: dict[str, Answer | None] = {}

        self.view.answer_key.connect(self.on_answer_key)
        self.view.selectionModel().currentRowChanged.connect(self.on_current_row)
        self.finish_button.clicked.connect(self.on_finish)
        self.start_button.clicked.connect(self.start_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Functional tests"))
        self.instructions.setAccessibleName(self.tr("Instructions"))
        self.keys_hint.setText(
            self.tr("P pass · F fail · S skip · N not applicable · Enter pass and next · ↑↓ move · Ctrl+Enter finish")
        )
        self.note.setPlaceholderText(self.tr("Note for the next answer (e.g. why it failed)"))
        self.note.setAccessibleName(self.tr("Note"))
        self.start_button.setText(self.tr("Start inspection"))
        self.finish_button.setText(self.tr("&Finish inspection"))
        self.finish_button.setToolTip(self.tr("Ctrl+Enter"))
        self.result.setAccessibleName(self.tr("Inspection result"))
        refresh_model_texts(self.model)
        self._show_closed()
        self._update_progress()
        self.on_current_row(self.view.currentIndex(), self.view.currentIndex())

    # --- what the page tells it

    def show_plan(self, plan: TestPlan, lines: Sequence[FunctionalLine], *, open_inspection: bool, state: str) -> None:
        current = self.view.currentIndex().row()
        self.model.set_plan(plan, lines)
        self._open = open_inspection
        self._state = state
        self.finish_button.setEnabled(open_inspection)
        self.start_button.setVisible(not open_inspection and state == "identified")
        self.note.setEnabled(open_inspection)
        self._show_closed()
        start = current if current >= 0 else self.model.next_unanswered(-1)
        self._select(start if start is not None else 0)
        self._update_progress()

    def _show_closed(self) -> None:
        if self._open or not self._state:
            return
        self.progress.setText(
            self.tr("No open inspection: start one to answer the checklist.")
            if self._state == "identified"
            else self.tr("The inspection is closed: answers are read-only.")
        )

    def confirm(self, test_id: str) -> None:
        row = self._row_of(test_id)
        answer = self.model.answer(row)
        if answer is not None:
            self.model.set_answer(row, dataclasses.replace(answer, pending=False))
        self._update_progress()

    def give_back(self, test_id: str, previous: Answer | None) -> None:
        """The service refused an answer: the row shows what is really recorded again."""
        self.model.set_answer(self._row_of(test_id), previous)
        self._update_progress()

    def show_result(self, text: str, colour: str) -> None:
        self.result.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")
        self.result.setText(text)

    # --- slots

    def on_answer_key(self, row: int, outcome: TestOutcome) -> None:
        if not self._open:
            self.show_result(self.tr("No open inspection: nothing can be recorded."), RED)
            return
        step = self.model.step(row)
        note = self.note.text().strip()
        self.note.clear()
        previous = self.model.answer(row)
        self.model.set_answer(row, Answer(outcome, MeasuredBy.MANUAL.value, self.user_name, note, pending=True))
        self._pending_previous[step.test_id] = previous
        self.answered.emit(step.test_id, outcome, note)
        following = self.model.next_unanswered(row)
        if following is not None:
            self._select(following)
        self._update_progress()

    def on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        step = self.model.step(current.row())
        how = self.tr("Automatic: the station reads it") if step.automatic else self.tr("Manual")
        required = self.tr("required") if step.required else self.tr("optional, does not decide")
        self.step_title.setText(f"{current.row() + 1}. {step.title}  ·  {how}, {required}")
        self.instructions.setText(step.instructions)
        answer = self.model.answer(current.row())
        self.samples.set_samples(meter_samples(answer.evidence) if answer is not None else [])

    def on_finish(self) -> None:
        if self._open:
            self.finish_requested.emit()

    # --- helpers

    def previous_answer(self, test_id: str) -> Answer | None:
        return self._pending_previous.pop(test_id, None)

    def _row_of(self, test_id: str) -> int:
        for row in range(self.model.rowCount()):
            if self.model.step(row).test_id == test_id:
                return row
        raise KeyError(test_id)

    def _select(self, row: int) -> None:
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, ChecklistModel.TEST))

    def _update_progress(self) -> None:
        if not self._open:
            return
        total = self.model.rowCount()
        answered = sum(1 for row in range(total) if self.model.answer(row) is not None)
        missing = self.model.unanswered_required()
        text = self.tr("%1 of %2 answered").replace("%1", str(answered)).replace("%2", str(total))
        if missing:
            text += " · " + self.tr("%1 required still to test").replace("%1", str(len(missing)))
        else:
            text += " · " + self.tr("every required step answered: Ctrl+Enter finishes")
        self.progress.setText(text)
