"""Erasure: the method, a progress bar, the outcome and the signed certificate's id."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.gui.history_model import local_time
from app.gui.states import GREEN, GREY, RED
from app.gui.translations import Retranslating
from audit.documents import ErasureLine


class ErasureProgress(QObject):
    """Carries erasers' progress from the pool threads that run them to the GUI thread (a queued signal).

    One per bridge, living as long as the bridge: an object made and destroyed per erasure would be destroyed on the
    GUI thread while the pool thread still lets go of it, which crashes PySide now and then.
    """

    advanced = Signal(str, int, str)  # topic, percent, text

    @classmethod
    def of(cls, bridge: QObject) -> ErasureProgress:
        found = bridge.findChild(cls)
        return found if isinstance(found, cls) else cls(bridge)

    def reporter(self, topic: str) -> Callable[[int, str], None]:
        def report(percent: int, text: str) -> None:
            self.advanced.emit(topic, max(0, min(100, percent)), text)

        return report


class ErasureTab(Retranslating, QWidget):
    erase_requested = Signal()
    certify_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QLabel()
        self.method.setWordWrap(True)
        self.start_button = QPushButton()
        self.certify_button = QPushButton()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        font = QFont(self.status.font())
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.status.setFont(font)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.certificate = QLabel()
        self.certificate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        certificate_font = QFont(self.certificate.font())
        certificate_font.setPointSizeF(certificate_font.pointSizeF() + 2)
        certificate_font.setBold(True)
        self.certificate.setFont(certificate_font)

        form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(4)]
        for label, field in zip(
            self.form_labels, (self.method, self.progress, self.outcome, self.certificate), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.certify_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.running = False

        self.start_button.clicked.connect(self.on_start)
        self.certify_button.clicked.connect(self.certify_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.method.setAccessibleName(self.tr("Erasure method"))
        self.start_button.setText(self.tr("&Erase the device"))
        self.certify_button.setText(self.tr("Issue the &certificate"))
        self.progress.setAccessibleName(self.tr("Erasure progress"))
        self.status.setAccessibleName(self.tr("Erasure status"))
        self.certificate.setAccessibleName(self.tr("Certificate"))
        for label, text in zip(
            self.form_labels,
            (self.tr("Method:"), self.tr("Progress:"), self.tr("Outcome:"), self.tr("Certificate:")),
            strict=True,
        ):
            label.setText(text)

    def show_erasure(self, method: str, state: str, line: ErasureLine | None) -> None:
        self.method.setText(method)
        self.start_button.setEnabled(state == "graded" and not self.running)
        self.start_button.setToolTip("" if state == "graded" else self.tr("Only a graded device is erased"))
        self.certify_button.setVisible(state == "erased")
        if self.running:
            return
        if line is None:
            self.outcome.setText(self.tr("Not erased yet."))
            self.certificate.setText("—")
            return
        self.progress.setValue(100 if line.status == "erased" else self.progress.value())
        self.outcome.setText(
            self.tr("%1: %2 (NIST %3), verification %4, by %5 at %6")
            .replace("%1", line.status)
            .replace("%2", line.method)
            .replace("%3", line.nist_level)
            .replace("%4", line.verification_result or "?")
            .replace("%5", line.performed_by)
            .replace("%6", local_time(line.finished_at))
        )
        self.outcome.setStyleSheet(f"color: {GREEN if line.status == 'erased' else RED};")
        self.certificate.setText(line.certificate_id or "—")

    def on_start(self) -> None:
        if not self.running:
            self.erase_requested.emit()

    def begin(self) -> None:
        self.running = True
        self.start_button.setEnabled(False)
        self.progress.setValue(0)
        self.certificate.setText("—")
        self.say(self.tr("Erasing: keep the device connected"), GREY)

    def on_progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(text)

    def end(self) -> None:
        self.running = False

    def say(self, text: str, colour: str) -> None:
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.status.setText(text)
