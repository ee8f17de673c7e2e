"""One device at a glance: its name, its state in large coloured type, who it is, and everything done to it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.history_model import HistoryModel
from app.gui.states import family_name, state_colour, state_name
from audit.history import DeviceHistory
from audit.readings import storage_gb


def _font(label: QLabel, points_up: int, *, bold: bool = True) -> None:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + points_up)
    font.setBold(bold)
    label.setFont(font)


class DevicePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        _font(self.title, 6)
        self.state = QLabel()
        self.state.setAccessibleName(self.tr("Device state"))
        _font(self.state, 14)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        _font(self.reason, 2, bold=False)

        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, caption in (
            ("model", self.tr("Make and model")),
            ("family", self.tr("Family")),
            ("serial", self.tr("Serial number")),
            ("imei", self.tr("IMEI")),
            ("storage", self.tr("Storage")),
            ("colour", self.tr("Colour")),
            ("lot", self.tr("Trade-in lot")),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            self.fields[key] = value
            form.addRow(caption + ":", value)

        self.history = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.history)
        self.table.setAccessibleName(self.tr("Device history"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (HistoryModel.TIME, HistoryModel.WHO, HistoryModel.WHAT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.state)
        history_caption = QLabel(self.tr("History"))
        _font(history_caption, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(history_caption)
        layout.addWidget(self.table, 1)

    def show_device(self, history: DeviceHistory) -> None:
        self.title.setText(history.label)
        self.state.setText(f" {state_name(history.state)} ")
        self.state.setStyleSheet(
            f"QLabel {{ background: {state_colour(history.state)}; color: white; border-radius: 6px;"
            " padding: 4px 14px; }"
        )
        self.reason.setText(history.state_reason)
        self.reason.setVisible(bool(history.state_reason))
        unknown = self.tr("unknown")
        storage = (
            self.tr("%1 GB").replace("%1", str(storage_gb(history.storage_bytes))) if history.storage_bytes else unknown
        )
        model = f"{history.make} {history.model}" + (f" ({history.model_number})" if history.model_number else "")
        values = {
            "model": model,
            "family": family_name(history.family),
            "serial": history.serial or "—",
            "imei": ", ".join(history.imeis) or "—",
            "storage": storage,
            "colour": history.colour or unknown,
            "lot": history.lot or "—",
        }
        for key, value in values.items():
            self.fields[key].setText(value)
        self.history.set_entries(history.entries)

    def clear(self) -> None:
        self.history.set_entries(())
