"""A simulated serial device on a pseudo-terminal, so the real pyserial opens it like a USB CDC-ACM port.

Subclasses implement :meth:`PtySerialDevice.respond`, which receives the bytes the client wrote and returns the bytes
the device answers (or ``b""``). The device runs on its own thread and stops cleanly on :meth:`close`.
Faults: ``silent`` (reads but never answers, like a meter that hangs), ``garble`` (answers with its bytes scrambled).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import termios
import threading
import tty
from types import TracebackType
from typing import Self

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.02


class PtySerialDevice:
    """A pty pair: the client opens :attr:`port`; this object plays the device on the master side."""

    def __init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line discipline: bytes pass as on a real CDC-ACM port
        attributes = termios.tcgetattr(self._slave)
        attributes[3] &= ~termios.ECHO
        termios.tcsetattr(self._slave, termios.TCSANOW, attributes)
        self.port = os.ttyname(self._slave)
        self.silent = False
        self.garble = False
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"{type(self).__name__}:{self.port}", daemon=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def respond(self, data: bytes) -> bytes:
        """The device's answer to what the client wrote (called on the device thread)."""
        raise NotImplementedError

    def send(self, data: bytes) -> None:
        """Write unsolicited bytes to the client (a scanner's line, a modem's URC)."""
        os.write(self._master, data)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], _POLL_SECONDS)
                if not ready:
                    continue
                data = os.read(self._master, 4096)
            except OSError:
                return  # the pty was closed under us: the device is "unplugged"
            if not data:
                continue
            self.received.extend(data)
            if self.silent:
                continue
            try:
                answer = self.respond(data)
            except Exception:  # a simulator bug must be visible, not a silent hang
                log.exception("simulated device %s failed to answer %r", self.port, data)
                continue
            if answer:
                if self.garble:
                    answer = bytes(reversed(answer))
                try:
                    os.write(self._master, answer)
                except OSError:
                    return
