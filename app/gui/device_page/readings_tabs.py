"""Battery and locks as read from the device: each value with where it came from, judged by the pure rules.

A lock the device could not tell (unknown) is checked by the technician and recorded from here: "Checked by hand…".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.history_model import local_time
from app.gui.states import GREEN, GREY, ORANGE, RED
from app.gui.translations import Retranslating
from audit.documents import BatteryLine, LocksSummary
from audit.readings import DeviceFamily, LockKind, LockState
from audit.rules.battery import cycle_flag_threshold
from audit.rules.channels import load_channel
from audit.rules.locks import LOCK_LABELS
from audit.services.lock_checks import NOTE_MAX

VERDICT_COLOURS = {
    "sellable": GREEN,
    "replace": ORANGE,
    "worn": RED,
    "unknown": GREY,
    "clear": GREEN,
    "locked": RED,
}


def _big(label: QLabel, points_up: float) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + points_up)
    font.setBold(True)
    label.setFont(font)
    return label


def _badge(label: QLabel, text: str, colour: str) -> None:
    label.setText(f" {text} ")
    label.setStyleSheet(f"QLabel {{ background: {colour}; color: white; border-radius: 6px; padding: 4px 12px; }}")


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _number(value: float) -> str:
    return f"{value:g}"


def verdict_name(verdict: str) -> str:
    names = {
        "sellable": QCoreApplication.translate("Verdict", "Sellable"),
        "replace": QCoreApplication.translate("Verdict", "Replace before sale"),
        "worn": QCoreApplication.translate("Verdict", "Worn"),
        "unknown": QCoreApplication.translate("Verdict", "Unknown"),
        "clear": QCoreApplication.translate("Verdict", "No lock"),
        "locked": QCoreApplication.translate("Verdict", "Locked"),
    }
    return names.get(verdict, verdict)


class BatteryTab(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.soh = _big(QLabel(), 18)
        self.verdict = _big(QLabel(), 4)
        self.threshold = _selectable(QLabel())
        self.fields: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in ("soh_source", "cycles", "capacity", "source", "recorded"):
            value = _selectable(QLabel())
            self.fields[key] = value
            self.captions[key] = QLabel()
            self.captions[key].setBuddy(value)
            form.addRow(self.captions[key], value)
        self.empty = QLabel()
        layout = QVBoxLayout(self)
        heading = QGridLayout()
        heading.addWidget(self.soh, 0, 0)
        heading.addWidget(self.verdict, 0, 1, Qt.AlignmentFlag.AlignLeft)
        heading.setColumnStretch(1, 1)
        layout.addLayout(heading)
        layout.addWidget(self.threshold)
        layout.addLayout(form)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.soh.setAccessibleName(self.tr("State of health"))
        self.verdict.setAccessibleName(self.tr("Battery verdict"))
        for key, caption in (
            ("soh_source", self.tr("State of health from")),
            ("cycles", self.tr("Cycle count")),
            ("capacity", self.tr("Capacity (full charge / design)")),
            ("source", self.tr("Read from")),
            ("recorded", self.tr("Recorded")),
        ):
            self.fields[key].setAccessibleName(caption)
            self.captions[key].setText(caption + ":")
        self.empty.setText(self.tr("No battery reading in this inspection yet."))

    def show_battery(self, line: BatteryLine | None, family: DeviceFamily, channel: str) -> None:
        self.empty.setVisible(line is None)
        for widget in (self.soh, self.verdict, self.threshold, *self.fields.values()):
            widget.setVisible(line is not None)
        if line is None:
            return
        self.soh.setText(self.tr("unknown") if line.soh_percent is None else f"{_number(line.soh_percent)} %")
        _badge(self.verdict, verdict_name(line.verdict), VERDICT_COLOURS.get(line.verdict, GREY))
        thresholds = load_channel(channel)
        self.threshold.setText(
            self.tr("%1: sellable from %2 %, worn below %3 %")
            .replace("%1", thresholds.label)
            .replace("%2", _number(line.sellable_min_soh))
            .replace("%3", _number(line.worn_below_soh))
        )
        basis = {
            "device": self.tr("the device's own figure"),
            "capacity": self.tr("full-charge capacity / design capacity"),
            "unknown": self.tr("nothing: neither a figure nor capacities were read"),
        }
        self.fields["soh_source"].setText(basis.get(line.soh_basis, line.soh_basis))
        flag = cycle_flag_threshold(family, thresholds)
        if line.cycle_count is None:
            cycles = self.tr("unknown")
        elif line.cycle_count >= flag:
            cycles = self.tr("%1 (flagged: %2 or more, check autonomy)").replace("%1", str(line.cycle_count))
            cycles = cycles.replace("%2", str(flag))
        else:
            cycles = self.tr("%1 (flag at %2)").replace("%1", str(line.cycle_count)).replace("%2", str(flag))
        self.fields["cycles"].setText(cycles)
        unit = line.unit or ""
        full = self.tr("unknown") if line.full_charge_capacity is None else f"{_number(line.full_charge_capacity)}"
        design = self.tr("unknown") if line.design_capacity is None else f"{_number(line.design_capacity)}"
        self.fields["capacity"].setText(f"{full} / {design} {unit}".strip())
        self.fields["source"].setText(line.source)
        self.fields["recorded"].setText(f"{local_time(line.recorded_at)}, {line.recorded_by}")


class LockCheckDialog(Retranslating, QDialog):
    """Off or on, and what the technician did and saw: both required before OK."""

    def __init__(self, kind: LockKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setMinimumWidth(480)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.off = QRadioButton()
        self.on = QRadioButton()
        self.states = QButtonGroup(self)
        self.states.addButton(self.off)
        self.states.addButton(self.on)
        self.note_caption = QLabel()
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note_caption.setBuddy(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setDefault(True)  # Enter in the note records the check
        choices = QHBoxLayout()
        choices.addWidget(self.off)
        choices.addWidget(self.on)
        choices.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(choices)
        layout.addWidget(self.note_caption)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.states.buttonToggled.connect(self._update_ok)
        self.note.textChanged.connect(self._update_ok)
        self.retranslate()
        self._update_ok()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lock checked by hand"))
        self.prompt.setText(self.tr("%1: what did you find on the device?").replace("%1", LOCK_LABELS[self.kind]))
        self.off.setText(self.tr("O&ff: no account or management lock"))
        self.on.setText(self.tr("O&n: the lock is there (the device will be quarantined)"))
        self.note_caption.setText(self.tr("What you checked and saw (&required):"))
        self.note.setPlaceholderText(self.tr("e.g. Settings > Apple ID: signed out; activation server says unlocked"))

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.state() is not None and bool(self.note.text().strip()))

    def state(self) -> LockState | None:
        if self.off.isChecked():
            return LockState.OFF
        if self.on.isChecked():
            return LockState.ON
        return None

    def fill(self, state: LockState | None, note: str) -> None:
        self.off.setChecked(state is LockState.OFF)
        self.on.setChecked(state is LockState.ON)
        self.note.setText(note)

    def accept(self) -> None:
        if not self.ok.isEnabled():
            return  # Enter with a choice or the note missing: stay open
        super().accept()


class LocksTab(Retranslating, QWidget):
    """``check_requested(kind, state, note)``: the technician checked an unknown lock by hand (LockKind, LockState)."""

    check_requested = Signal(object, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = _big(QLabel(), 4)
        self.source = _selectable(QLabel())
        self.grid = QGridLayout()
        self.rows: dict[LockKind, tuple[QLabel, QLabel, QLabel]] = {}
        self.check_buttons: dict[LockKind, QPushButton] = {}
        self.headings = [_big(QLabel(), 0) for _ in range(3)]
        for column, heading in enumerate(self.headings):
            self.grid.addWidget(heading, 0, column)
        for row, kind in enumerate(LockKind, start=1):
            name, state, evidence = QLabel(LOCK_LABELS[kind]), _big(QLabel(), 1), _selectable(QLabel())
            state.setAccessibleName(LOCK_LABELS[kind])
            self.rows[kind] = (name, state, evidence)
            for column, widget in enumerate((name, state, evidence)):
                self.grid.addWidget(widget, row, column)
            button = QPushButton()
            button.hide()
            button.clicked.connect(lambda _checked=False, kind=kind: self.open_check(kind))
            self.check_buttons[kind] = button
            self.grid.addWidget(button, row, 3)
        self.grid.setColumnStretch(2, 1)
        self.empty = QLabel()
        self.message = _selectable(QLabel())
        self.message.hide()
        self.dialog: LockCheckDialog | None = None
        # What was typed for a check not recorded yet (refused, or cancelled): given back when asked again.
        self._drafts: dict[LockKind, tuple[LockState | None, str]] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.source)
        layout.addLayout(self.grid)
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.verdict.setAccessibleName(self.tr("Locks verdict"))
        for heading, caption in zip(
            self.headings, (self.tr("Lock"), self.tr("State"), self.tr("Evidence")), strict=True
        ):
            heading.setText(caption)
        self.empty.setText(self.tr("No lock check in this inspection yet."))
        for kind, button in self.check_buttons.items():
            button.setText(self.tr("Checked by hand…"))
            button.setAccessibleName(self.tr("%1 checked by hand").replace("%1", LOCK_LABELS[kind]))

    def show_locks(self, summary: LocksSummary | None, *, can_check: bool = False) -> None:
        """``can_check``: an open inspection and a person who may inspect: unknown locks get "Checked by hand…"."""
        self.empty.setVisible(summary is None)
        self.verdict.setVisible(summary is not None)
        self.source.setVisible(summary is not None)
        # Before the first reading the device may still be read: nothing to check by hand yet.
        lines = summary.lines if summary is not None else ()
        unknown = {LockKind(line.kind) for line in lines if line.shown and line.state == LockState.UNKNOWN.value}
        for kind, button in self.check_buttons.items():
            button.setVisible(can_check and kind in unknown)
        if summary is None:
            for _name, state, evidence in self.rows.values():
                state.clear()
                evidence.clear()
            return
        _badge(self.verdict, verdict_name(summary.verdict), VERDICT_COLOURS.get(summary.verdict, GREY))
        self.source.setText(
            self.tr("Read from %1 · %2, %3")
            .replace("%1", summary.source)
            .replace("%2", local_time(summary.recorded_at))
            .replace("%3", summary.recorded_by)
        )
        colours = {"on": RED, "off": GREEN, "unknown": ORANGE, "not applicable": GREY}
        for line in summary.lines:
            name, state, evidence = self.rows[LockKind(line.kind)]
            relevant = line.relevant or line.state == "on"
            for widget in (name, state, evidence):
                widget.setEnabled(relevant)
                widget.setVisible(line.shown)
            state.setText(line.state)
            state.setStyleSheet(f"color: {colours.get(line.state, GREY)};" if relevant else "")
            evidence.setText(line.evidence or "—")

    def open_check(self, kind: LockKind) -> None:
        dialog = LockCheckDialog(kind, self)
        dialog.fill(*self._drafts.get(kind, (None, "")))
        dialog.accepted.connect(lambda: self._on_dialog_accepted(dialog))
        dialog.rejected.connect(lambda: self._keep_draft(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        dialog.note.setFocus()

    def _keep_draft(self, dialog: LockCheckDialog) -> None:
        self._drafts[dialog.kind] = (dialog.state(), dialog.note.text())
        if self.dialog is dialog:
            self.dialog = None

    def _on_dialog_accepted(self, dialog: LockCheckDialog) -> None:
        state = dialog.state()
        self._keep_draft(dialog)  # until the records say it is saved
        if state is None:
            return
        self.say(self.tr("Recording the check of %1…").replace("%1", LOCK_LABELS[dialog.kind]), ORANGE)
        self.check_requested.emit(dialog.kind, state, dialog.note.text().strip())

    def check_recorded(self, kind: LockKind) -> None:
        self._drafts.pop(kind, None)
        self.say(self.tr("%1 checked by hand: recorded.").replace("%1", LOCK_LABELS[kind]), GREEN)

    def say(self, text: str, colour: str = GREEN) -> None:
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")
        self.message.setText(text)
        self.message.setVisible(bool(text))
