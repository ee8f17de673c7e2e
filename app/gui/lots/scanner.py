"""A barcode scanner acting as a keyboard ("keyboard wedge"), told apart from a person typing.

A scanner types a whole code in a burst (a few milliseconds between characters) and ends it with Enter; a person
types far slower. The filter watches key presses for a scope (a page, or the whole window), holds printable
characters for a moment, and either recognises a burst as a scan (``scanned``, and the keys never reach the focused
widget) or hands the held keys on unchanged, in order, to the widget they were meant for. Typing is delayed by at
most ``max_gap_ms``, which nobody notices.

Install it on the application (``install()``): key events go to the focused widget, so only an application-wide
filter sees the keys typed anywhere in the scope.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

DEFAULT_MAX_GAP_MS = 40  # scanners: 2-15 ms between characters; fast typists rarely under 60 ms
DEFAULT_MIN_LENGTH = 6  # shorter than any IMEI or serial: typed, not scanned

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CHORDS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


class ScannerFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        scope: QWidget,
        *,
        max_gap_ms: int = DEFAULT_MAX_GAP_MS,
        min_length: int = DEFAULT_MIN_LENGTH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(scope)
        self._scope = scope
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.clock = clock  # seconds; tests hand in a clock they move themselves
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._last = 0.0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def install(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        self.flush()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @property
    def holding(self) -> str:
        return "".join(event.text() for _receiver, event in self._held)

    def _in_scope(self, watched: QObject) -> bool:
        if not isinstance(watched, QWidget) or not self._scope.isVisible():
            return False
        return watched is self._scope or self._scope.isAncestorOf(watched)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's API
        if self._replaying or event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not self._in_scope(watched):
            return False
        now = self.clock()
        in_burst = bool(self._held) and (now - self._last) * 1000 <= self.max_gap_ms
        if event.key() in _ENTER and not event.modifiers() & _CHORDS:
            if in_burst and len(self._held) >= self.min_length:
                code = self.holding
                self._discard()
                self.scanned.emit(code)
                return True
            self.flush()
            return False
        text = event.text()
        if len(text) == 1 and text.isprintable() and not event.modifiers() & _CHORDS:
            if self._held and not in_burst:
                self.flush()
            copy = QKeyEvent(event.type(), event.key(), event.modifiers(), text, event.isAutoRepeat(), event.count())
            self._held.append((watched, copy))
            self._last = now
            self._timer.start(self.max_gap_ms + 5)
            return True
        self.flush()  # any other key (Backspace, arrows, shortcuts) ends a burst: what was held was typed
        return False

    def _on_timeout(self) -> None:
        # The timer restarts at every held key: firing means no key followed within the gap, so it was typed.
        self.flush()

    def flush(self) -> None:
        """Hand the held keys on to the widgets they were meant for: they were typed, not scanned."""
        held, self._held = self._held, []
        self._timer.stop()
        self._replaying = True
        try:
            for receiver, event in held:
                if isValid(receiver):
                    QCoreApplication.sendEvent(receiver, event)
        finally:
            self._replaying = False

    def _discard(self) -> None:
        self._held = []
        self._timer.stop()
