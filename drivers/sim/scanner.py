"""A simulated barcode scanner in serial (virtual COM) mode on a pty: :meth:`scan` sends one code as a real one does.

A scanner never answers the host; it only sends what it reads, ended by its configured terminator (CR LF here by
default; CR or LF alone are common settings too).
"""

from __future__ import annotations

from drivers.sim.serial_pty import PtySerialDevice


class SimulatedScanner(PtySerialDevice):
    def __init__(self, terminator: bytes = b"\r\n") -> None:
        super().__init__()
        self.terminator = terminator

    def respond(self, data: bytes) -> bytes:
        return b""  # a scanner ignores what the host writes

    def scan(self, code: str) -> None:
        """The technician pulls the trigger on ``code``."""
        self.send(code.encode("utf-8") + self.terminator)
