"""A barcode scanner in serial (virtual COM) mode: each line it sends becomes a :class:`ScanEvent`.

The GUI's keyboard-wedge input produces the same :class:`ScanEvent` (through :func:`scan_event`), so everything
downstream handles one event type whatever the scanner's mode. Scanners end a code with CR, LF or CR LF depending on
their configuration; all three are accepted, and empty lines are ignored.

Labels: an IMEI is 15 digits with a valid Luhn check digit (checked here: drivers may not import the audit rules);
lot labels read ``LOT-<reference>`` and bay labels ``BAY-<number>`` (``:`` or a space also separate the prefix);
anything else of 5 to 24 letters, digits, ``-`` or ``/`` is a serial number.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import re
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self

import serial

log = logging.getLogger(__name__)

_MAX_LINE = 256  # a line longer than this without an end is noise, not a barcode
_IMEI_PREFIX = re.compile(r"^IMEI\s*[:#]?\s*", re.IGNORECASE)
_LOT = re.compile(r"^LOT[-:\s]\s*([A-Z0-9][A-Z0-9._/-]*)$", re.IGNORECASE)
_BAY = re.compile(r"^BAY[-:\s]?\s*0*([1-9][0-9]{0,2})$", re.IGNORECASE)
_LABEL_PREFIX = re.compile(r"^(LOT|BAY)[-:\s]", re.IGNORECASE)  # a label that does not parse is not a serial
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9/-]{3,22}[A-Z0-9]$", re.IGNORECASE)


class ScanKind(enum.StrEnum):
    IMEI = "imei"
    SERIAL = "serial"
    LOT = "lot"
    BAY = "bay"
    UNKNOWN = "unknown"


@dataclasses.dataclass(frozen=True, slots=True)
class ScanEvent:
    """A scanned code: ``text`` is the value (IMEI digits, lot reference, bay number, serial), ``source`` the input."""

    text: str
    kind: ScanKind
    source: str


class ScannerError(Exception):
    """Root of the scanner's errors: the port and the raw bytes it concerns."""

    def __init__(self, message: str, *, device: str = "", raw: bytes = b"") -> None:
        super().__init__(message)
        self.device = device
        self.raw = raw


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or not digits.isascii():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def classify_scan(text: str) -> tuple[ScanKind, str]:
    """The kind of a scanned code and its value (the IMEI's digits, the lot reference, the bay number)."""
    code = text.strip()
    digits = _IMEI_PREFIX.sub("", code).replace(" ", "")
    if len(digits) == 15 and digits.isascii() and digits.isdigit():
        # 15 digits failing Luhn is a misread IMEI, not a serial number
        return (ScanKind.IMEI, digits) if luhn_valid(digits) else (ScanKind.UNKNOWN, code)
    if match := _LOT.match(code):
        return ScanKind.LOT, match.group(1).upper()
    if match := _BAY.match(code):
        return ScanKind.BAY, match.group(1)
    if code.isascii() and _SERIAL.match(code) and not _IMEI_PREFIX.match(code) and not _LABEL_PREFIX.match(code):
        return ScanKind.SERIAL, code.upper()
    return ScanKind.UNKNOWN, code


def scan_event(text: str, source: str) -> ScanEvent:
    """The event for one scanned line, from any input (serial scanner, keyboard wedge)."""
    kind, value = classify_scan(text)
    return ScanEvent(value, kind, source)


class LineSplitter:
    """Bytes in, lines out: CR, LF and CR LF all end a line; an overlong line without an end is dropped."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[str]:
        self._buffer.extend(data)
        lines: list[str] = []
        while True:
            ends = [i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0]
            if not ends:
                break
            end = min(ends)
            raw = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            text = raw.decode("utf-8", errors="replace").strip()
            if text:
                lines.append(text)
        if len(self._buffer) > _MAX_LINE:
            log.warning("scanner sent %d bytes without a line end: dropped", len(self._buffer))
            self._buffer.clear()
        return lines


class SerialScanner:
    """A scanner on a serial port; context-managed. ``read_events()`` returns the codes scanned since the last call."""

    def __init__(self, port: str, *, baudrate: int = 9600, timeout: float = 0.1) -> None:
        self.port = port
        self.source = f"scanner:{port}"
        self._baudrate = baudrate
        self._timeout = timeout
        self._serial: serial.Serial | None = None
        self._lines = LineSplitter()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def open(self) -> None:
        try:
            self._serial = serial.Serial(self.port, self._baudrate, timeout=self._timeout)
        except (serial.SerialException, ValueError) as exc:
            raise ScannerError(f"cannot open the barcode scanner on {self.port}: {exc}", device=self.port) from exc

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def read_events(self) -> list[ScanEvent]:
        """Waits up to the port's timeout for bytes; the whole lines received so far become events."""
        if self._serial is None:
            raise ScannerError(f"the barcode scanner on {self.port} is not open", device=self.port)
        try:
            data = self._serial.read(max(1, self._serial.in_waiting))
        except (serial.SerialException, OSError) as exc:
            raise ScannerError(f"the barcode scanner on {self.port} failed: {exc}", device=self.port) from exc
        return [scan_event(line, self.source) for line in self._lines.feed(data)]


class ScannerListener:
    """Reads a :class:`SerialScanner` on its own thread and hands each event to ``on_event`` until closed."""

    def __init__(
        self,
        scanner: SerialScanner,
        on_event: Callable[[ScanEvent], None],
        on_error: Callable[[ScannerError], None] | None = None,
    ) -> None:
        self._scanner = scanner
        self._on_event = on_event
        self._on_error = on_error
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"scanner:{scanner.port}", daemon=True)

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

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                events = self._scanner.read_events()
            except ScannerError as exc:  # unplugged: report once and stop, the station shows it
                log.warning("%s", exc)
                if self._on_error is not None:
                    self._on_error(exc)
                return
            for event in events:
                try:
                    self._on_event(event)
                except Exception:
                    log.exception("scan handler failed on %s", event)
