"""One device at a glance: its name, its state in large coloured type, who it is, and everything done to it.

On the device page the colour can be typed in (devices rarely report it and the marketplace product needs it): the
panel then has an editor instead of a label and asks for the change with ``colour_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.history_model import HistoryModel
from app.gui.states import family_name, state_colour, state_name
from app.gui.translations import Retranslating, refresh_model_texts
from audit.history import DeviceHistory
from audit.readings import storage_gb


def _font(label: QLabel, points_up: int, *, bold: bool = True) -> None:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + points_up)
    font.setBold(bold)
    label.setFont(font)


class DevicePanel(Retranslating, QWidget):
    colour_requested = Signal(str)  # the colour typed in (editable panel only)

    def __init__(self, parent: QWidget | None = None, *, colour_editable: bool = False) -> None:
        super().__init__(parent)
        self._history: DeviceHistory | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        _font(self.title, 6)
        self.state = QLabel()
        _font(self.state, 14)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        _font(self.reason, 2, bold=False)

        self.fields: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        self.colour_edit: QLineEdit | None = None
        self.colour_button: QPushButton | None = None
        form = QFormLayout()
        for key in self._captions():
            caption = QLabel()
            self.captions[key] = caption
            if key == "colour" and colour_editable:
                form.addRow(caption, self._colour_editor())
                caption.setBuddy(self.colour_edit)
                continue
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(caption, value)
            caption.setBuddy(value)

        self.history = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.history)
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
        self.history_caption = history_caption = QLabel()
        _font(history_caption, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(history_caption)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def _captions(self) -> dict[str, str]:
        return {
            "model": self.tr("Make and model"),
            "family": self.tr("Family"),
            "serial": self.tr("Serial number"),
            "imei": self.tr("IMEI"),
            "storage": self.tr("Storage"),
            "colour": self.tr("Colour"),
            "lot": self.tr("Trade-in lot"),
        }

    def _colour_editor(self) -> QHBoxLayout:
        self.colour_edit = QLineEdit()
        self.colour_edit.setMaxLength(64)
        self.colour_button = QPushButton()
        self.colour_button.setEnabled(False)
        self.colour_edit.textEdited.connect(self._on_colour_edited)
        self.colour_edit.returnPressed.connect(self.on_save_colour)
        self.colour_button.clicked.connect(self.on_save_colour)
        row = QHBoxLayout()
        row.addWidget(self.colour_edit, 1)
        row.addWidget(self.colour_button)
        return row

    # --- language

    def retranslate(self) -> None:
        self.state.setAccessibleName(self.tr("Device state"))
        for key, caption in self._captions().items():
            self.captions[key].setText(caption + ":")
            if key in self.fields:
                self.fields[key].setAccessibleName(caption)
        if self.colour_edit is not None and self.colour_button is not None:
            self.colour_edit.setAccessibleName(self.tr("Colour"))
            self.colour_edit.setPlaceholderText(self.tr("The colour you see, e.g. Midnight or Space Grey"))
            self.colour_button.setText(self.tr("Save &colour"))
        self.table.setAccessibleName(self.tr("Device history"))
        self.history_caption.setText(self.tr("History"))
        if self._history is not None:
            self.show_device(self._history)
        refresh_model_texts(self.history)

    # --- the colour

    def _on_colour_edited(self, text: str) -> None:
        if self.colour_button is not None:
            recorded = self._history.colour if self._history is not None else None
            self.colour_button.setEnabled(bool(text.strip()) and text.strip() != (recorded or ""))

    def colour_answered(self, *, saved: bool) -> None:
        """The service answered: a saved colour is what the records say (shown on the next load); a refused one stays
        in the editor to be corrected."""
        if self.colour_edit is None:
            return
        if saved:
            self.colour_edit.setModified(False)
        else:
            self._on_colour_edited(self.colour_edit.text())

    def on_save_colour(self) -> None:
        if self.colour_edit is None or self.colour_button is None or not self.colour_button.isEnabled():
            return
        self.colour_button.setEnabled(False)
        self.colour_requested.emit(self.colour_edit.text().strip())

    def show_device(self, history: DeviceHistory) -> None:
        self._history = history
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
            if key in self.fields:
                self.fields[key].setText(value)
        if self.colour_edit is not None and not self.colour_edit.isModified():
            self.colour_edit.setText(history.colour or "")
        self.history.set_entries(history.entries)

    def clear(self) -> None:
        self.history.set_entries(())
