"""Battery and locks as read from the device: each value with where it came from, judged by the pure rules."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.gui.history_model import local_time
from app.gui.states import GREEN, GREY, ORANGE, RED
from audit.documents import BatteryLine, LocksSummary
from audit.readings import DeviceFamily, LockKind
from audit.rules.battery import cycle_flag_threshold
from audit.rules.channels import load_channel
from audit.rules.locks import LOCK_LABELS

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


class BatteryTab(QWidget):
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # the values are drawn again by the page, from the records
        super().changeEvent(event)

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


class LocksTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = _big(QLabel(), 4)
        self.source = _selectable(QLabel())
        self.grid = QGridLayout()
        self.rows: dict[LockKind, tuple[QLabel, QLabel, QLabel]] = {}
        self.headings = [_big(QLabel(), 0) for _ in range(3)]
        for column, heading in enumerate(self.headings):
            self.grid.addWidget(heading, 0, column)
        for row, kind in enumerate(LockKind, start=1):
            name, state, evidence = QLabel(LOCK_LABELS[kind]), _big(QLabel(), 1), _selectable(QLabel())
            state.setAccessibleName(LOCK_LABELS[kind])
            self.rows[kind] = (name, state, evidence)
            for column, widget in enumerate((name, state, evidence)):
                self.grid.addWidget(widget, row, column)
        self.grid.setColumnStretch(2, 1)
        self.empty = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.source)
        layout.addLayout(self.grid)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # the values are drawn again by the page, from the records
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.verdict.setAccessibleName(self.tr("Locks verdict"))
        for heading, caption in zip(
            self.headings, (self.tr("Lock"), self.tr("State"), self.tr("Evidence")), strict=True
        ):
            heading.setText(caption)
        self.empty.setText(self.tr("No lock check in this inspection yet."))

    def show_locks(self, summary: LocksSummary | None) -> None:
        self.empty.setVisible(summary is None)
        self.verdict.setVisible(summary is not None)
        self.source.setVisible(summary is not None)
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
