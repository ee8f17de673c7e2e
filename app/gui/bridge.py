"""The one way work leaves the GUI thread and comes back.

``Bridge.submit`` runs a plain callable on a thread pool; the worker never touches a widget. Its result (or the
exception it raised) comes back as a :class:`Reply` on the ``replied`` signal. The bridge lives in the GUI
thread, so a signal emitted from a pool thread is queued and the slot runs in the GUI thread. Tests may hand the
bridge a :class:`SynchronousPool`, which runs the callable at once in the caller's thread.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal

from audit.errors import ServiceError
from audit.rules.errors import RulesError

log = logging.getLogger(__name__)

# Refusals a person can act on: shown to them, not logged as crashes.
_EXPECTED: tuple[type[Exception], ...] = (ServiceError, RulesError)


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """What a piece of work produced: ``value`` or ``error``, tagged with what was asked and when."""

    topic: str
    ticket: int
    value: Any = None
    error: BaseException | None = None
    ran_off_gui_thread: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


class Pool(Protocol):
    def start(self, work: Callable[[], None]) -> None: ...

    def waitForDone(self) -> bool: ...  # noqa: N802 - Qt's name


class SynchronousPool:
    """A pool that runs each job at once in the caller's thread (for tests and scripted screenshots)."""

    def start(self, work: Callable[[], None]) -> None:
        work()

    def waitForDone(self) -> bool:  # noqa: N802 - Qt's name
        return True


class Bridge(QObject):
    replied = Signal(object)  # Reply, always emitted on the GUI thread
    # A pool thread emits this one; being connected to a slot of the bridge (which lives in the GUI thread), each
    # emission is queued to the GUI thread, which then emits ``replied``. So every listener of ``replied`` (pages,
    # the window, a test's wait) is called on the GUI thread, in order, and never after it has disconnected.
    _delivered = Signal(object)

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: Pool = pool if pool is not None else QThreadPool.globalInstance()
        self._tickets = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._delivered.connect(self._on_delivered)  # auto: queued from a pool thread, direct from this one

    def submit(self, topic: str, work: Callable[[], Any]) -> int:
        """Run ``work`` in the pool; its outcome arrives later as a Reply with the returned ticket."""
        ticket = next(self._tickets)
        self._latest[topic] = ticket  # before starting: a synchronous pool replies inside start()

        def job() -> None:
            off_gui = threading.current_thread() is not threading.main_thread()
            try:
                reply = Reply(topic, ticket, value=work(), ran_off_gui_thread=off_gui)
            except Exception as exc:  # every failure goes back to the GUI as a value, never kills the worker
                if not isinstance(exc, _EXPECTED):
                    log.exception("%s #%d failed", topic, ticket)
                reply = Reply(topic, ticket, error=exc, ran_off_gui_thread=off_gui)
            self._delivered.emit(reply)

        self._pool.start(job)
        return ticket

    def _on_delivered(self, reply: Reply) -> None:
        self.replied.emit(reply)

    def is_latest(self, reply: Reply) -> bool:
        """Whether no newer work of the same topic was submitted since (older replies are stale)."""
        return self._latest.get(reply.topic) == reply.ticket

    def wait_for_done(self) -> None:
        """Block until every job has finished (at shutdown only, never while the window is in use)."""
        self._pool.waitForDone()
