"""A barcode scanner in serial (virtual COM) mode, brought to the GUI thread.

The driver's listener reads the port on its own thread; each code comes back here through a queued signal and is
re-emitted on the GUI thread as ``scanned`` (a :class:`~drivers.peripherals.scanner.ScanEvent`), the same event a
keyboard-wedge scan makes. The window sends it where a wedge scan would go: the active lot, else the lookup.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal

from drivers.peripherals.scanner import ScannerError, ScannerListener, SerialScanner

log = logging.getLogger(__name__)


class SerialScannerBridge(QObject):
    scanned = Signal(object)  # a ScanEvent, on the GUI thread
    failed = Signal(str)  # the scanner could not be opened or went away, on the GUI thread
    _arrived = Signal(object)
    _broke = Signal(str)

    def __init__(self, port: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.port = port
        self._scanner: SerialScanner | None = None
        self._listener: ScannerListener | None = None
        # queued: re-emitted on the thread this object lives on (the GUI thread), not the listener's
        self._arrived.connect(self.scanned, Qt.ConnectionType.QueuedConnection)
        self._broke.connect(self.failed, Qt.ConnectionType.QueuedConnection)

    def start(self) -> bool:
        """Open the port and listen; False (and ``failed``) when it cannot be opened: the station runs without it."""
        scanner = SerialScanner(self.port)
        try:
            scanner.open()
        except ScannerError as exc:
            log.warning("%s", exc)
            self.failed.emit(str(exc))
            return False
        self._scanner = scanner
        self._listener = ScannerListener(scanner, self._arrived.emit, lambda exc: self._broke.emit(str(exc)))
        self._listener.start()
        return True

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._scanner is not None:
            self._scanner.close()
            self._scanner = None

    @property
    def listening(self) -> bool:
        return self._listener is not None
