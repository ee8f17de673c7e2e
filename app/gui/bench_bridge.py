"""Bench events into the GUI thread: the coordinator and supervisors call :meth:`BenchBridge.post` from their own
threads; workers never touch a widget.

Events are put on a queue, and one queued signal wakes the GUI thread when the queue stops being empty; the GUI
thread then takes every event waiting and re-emits each on ``device_event`` / ``driver_status`` (now on the GUI
thread). Thirty phones reporting at once cost the event loop one wake-up per batch, not one per event.
"""

from __future__ import annotations

import collections
import threading

from PySide6.QtCore import QObject, Qt, Signal

from app.bench.events import BenchEvent, DriverStatus


class BenchBridge(QObject):
    device_event = Signal(object)  # a DeviceEvent, emitted on the GUI thread
    driver_status = Signal(object)  # a DriverStatus, emitted on the GUI thread
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: collections.deque[BenchEvent] = collections.deque()
        self._guard = threading.Lock()
        self._wake.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    def post(self, event: BenchEvent) -> None:
        """Safe from any thread: the event is delivered on the GUI thread, in order."""
        with self._guard:
            wake = not self._waiting
            self._waiting.append(event)
        if wake:
            self._wake.emit()

    __call__ = post

    def deliver(self) -> None:
        """Hand every waiting event to the GUI (runs on the GUI thread)."""
        with self._guard:
            batch = list(self._waiting)
            self._waiting.clear()
        for event in batch:
            if isinstance(event, DriverStatus):
                self.driver_status.emit(event)
            else:
                self.device_event.emit(event)
