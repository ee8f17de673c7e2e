"""The device's documents on screen: the audit report (QtPdf preview) and its label (preview, print, save)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui.states import GREEN, RED
from app.gui.translations import Retranslating


class PdfPreview(QWidget):
    """A PDF held in memory and shown by QtPdf; the bytes stay available to save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None
        self.pdf = b""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def show_pdf(self, pdf: bytes) -> QPdfDocument.Error:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        self.pdf = pdf
        # The document reads from the buffer for as long as it is shown: the buffer lives with the preview.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        return self.document.error()

    def clear(self) -> None:
        self.document.close()
        self.pdf = b""


class _DocumentTab(Retranslating, QWidget):
    refresh_requested = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PdfPreview()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.refresh_button = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setEnabled(False)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.refresh_button)
        self.buttons.addWidget(self.save_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.preview, 1)
        self._what = what
        self.file_name = f"{what}.pdf"
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.save_button.clicked.connect(self.on_save)
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("&Refresh preview"))
        self.save_button.setText(self.tr("Save PDF…"))

    def show_pdf(self, pdf: bytes | None, fallback: str) -> None:
        if pdf is None:
            self.preview.clear()
            self.save_button.setEnabled(False)
            self.say(fallback, problem=True)
            return
        error = self.preview.show_pdf(pdf)
        ok = error == QPdfDocument.Error.None_
        self.save_button.setEnabled(ok)
        if ok:
            pages = self.preview.document.pageCount()
            self.say(self.tr("%1 page(s), %2 kB").replace("%1", str(pages)).replace("%2", str(len(pdf) // 1024)))
        else:
            self.say(self.tr("The PDF could not be shown: %1").replace("%1", error.name), problem=True)

    def say(self, text: str, *, problem: bool = False) -> None:
        self.message.setStyleSheet(f"color: {RED if problem else GREEN};")
        self.message.setText(text)

    def on_save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("Save PDF"), self.file_name, "PDF (*.pdf)")
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        try:
            path.write_bytes(self.preview.pdf)
        except OSError as exc:
            self.say(self.tr("Not saved: %1").replace("%1", exc.strerror or str(exc)), problem=True)
        else:
            self.say(self.tr("Saved %1").replace("%1", str(path)))


class ReportTab(_DocumentTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("device-report", parent)


class LabelTab(_DocumentTab):
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        self.printer: str | None = None
        self.print_button = QPushButton()
        super().__init__("label", parent)
        self.buttons.insertWidget(2, self.print_button)
        self.print_button.clicked.connect(self.print_requested)

    def retranslate(self) -> None:
        super().retranslate()
        self.print_button.setText(self.tr("&Print label"))
        self.set_printer(self.printer)

    def set_printer(self, printer: str | None) -> None:
        self.printer = printer
        self.print_button.setEnabled(printer is not None)
        self.print_button.setToolTip(
            self.tr("Send to %1").replace("%1", printer) if printer else self.tr("No label printer set in Settings")
        )
