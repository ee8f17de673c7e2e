"""Find a device by IMEI or serial: typed, or scanned by a barcode reader acting as a keyboard (text + Enter)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.gui.device_view import DevicePanel
from app.gui.states import RED
from app.gui.translations import Retranslating
from audit.history import DeviceHistory


class ScanField(QLineEdit):
    """A search field for scanners and people: Enter submits (``returnPressed``), Escape empties it."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's API
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class DeviceLookup(Retranslating, QWidget):
    lookup_requested = Signal(str)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.search = ScanField()
        self.search.setClearButtonEnabled(True)
        font = QFont(self.search.font())
        font.setPointSizeF(font.pointSizeF() + 6)
        self.search.setFont(font)
        self.caption.setBuddy(self.search)
        self.message = QLabel()
        self.message.setWordWrap(True)
        message_font = QFont(self.message.font())
        message_font.setPointSizeF(message_font.pointSizeF() + 3)
        self.message.setFont(message_font)
        self.panel = DevicePanel()
        self.panel.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.search)
        layout.addWidget(self.message)
        layout.addWidget(self.panel, 1)
        layout.addStretch(0)
        self.setFocusProxy(self.search)
        self._connect_signals()
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Scan or type an IMEI or serial number, then press Enter"))
        self.search.setPlaceholderText(self.tr("IMEI or serial number"))
        self.search.setAccessibleName(self.tr("Device search"))
        self.message.setAccessibleName(self.tr("Lookup message"))

    def _connect_signals(self) -> None:
        self.search.returnPressed.connect(self.on_return)
        self.search.escaped.connect(self.on_escape)

    def on_return(self) -> None:
        text = self.search.text().strip()
        if text:
            # The next scan replaces this one instead of being appended to it.
            self.search.selectAll()
            self.lookup_requested.emit(text)

    def on_escape(self) -> None:
        self.clear()
        self.cleared.emit()

    def clear(self) -> None:
        self.search.clear()
        self.message.clear()
        self.panel.hide()
        self.panel.clear()

    def show_searching(self, text: str) -> None:
        self._say(self.tr("Looking up %1…").replace("%1", text))

    def show_device(self, history: DeviceHistory) -> None:
        self.message.clear()
        self.panel.show_device(history)
        self.panel.show()

    def show_problem(self, text: str) -> None:
        self.panel.hide()
        self._say(text, colour=RED)

    def _say(self, text: str, *, colour: str | None = None) -> None:
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}" if colour else "")
        self.message.setText(text)
