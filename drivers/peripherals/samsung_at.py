"""Samsung phones' modem port (CDC-ACM, "SAMSUNG Mobile USB Modem"): identity when adb is not authorised.

A Samsung phone exposes its modem as a serial port even with USB debugging off. Over it (pyserial, Hayes
commands ended by CR; answers end with ``OK`` / ``ERROR``): ``AT+DEVCONINFO`` gives Samsung's one-line device info
``MN(model);BASE(..);VER(..);...;SN(serial);IMEI(imei);UN(..);...``; ``AT+CGSN`` (3GPP TS 27.007) gives the IMEI.
A modem that is still starting answers ``BUSY``: the command is retried a few times. A silent port is a timeout.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from types import TracebackType
from typing import Self

import serial

from drivers.android.parsers import ImeiReading

log = logging.getLogger(__name__)

BAUDRATE = 115200
_FINAL = re.compile(r"^(OK|ERROR|BUSY|NO CARRIER|\+CME ERROR:.*|\+CMS ERROR:.*)$")
_FIELD = re.compile(r"(?P<key>[A-Z]+)\((?P<value>[^()]*)\)")


class SamsungModemError(Exception):
    """Root of the modem port's errors; carries the port and what the modem answered."""

    def __init__(self, message: str, *, port: str, raw: str = "") -> None:
        super().__init__(f"{port}: {message}")
        self.port = port
        self.raw = raw


class ModemTimeout(SamsungModemError):
    """The modem did not finish its answer in time."""


class ModemBusy(SamsungModemError):
    """The modem kept answering BUSY after every retry."""


class ModemCommandError(SamsungModemError):
    """The modem answered ERROR (or a +CME error) to a command."""


def parse_devconinfo(text: str) -> dict[str, str]:
    """The ``KEY(value)`` fields of a ``+DEVCONINFO:`` line (empty values kept as empty strings)."""
    for line in text.splitlines():
        if line.strip().startswith("+DEVCONINFO:"):
            return {match["key"]: match["value"].strip() for match in _FIELD.finditer(line)}
    return {}


def parse_cgsn(lines: list[str]) -> str | None:
    """The IMEI digits of an ``AT+CGSN`` answer (``+CGSN: "…"`` on some firmwares, bare digits on others)."""
    for line in lines:
        digits = line.replace("+CGSN:", "").strip().strip('"')
        if re.fullmatch(r"[0-9]{14,16}", digits):  # ASCII: Python's \d also takes Arabic-Indic digits
            return digits
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class ModemIdentity:
    """What the modem port told; the IMEIs keep their command and their Luhn verdict."""

    port: str
    model: str | None
    serial: str | None
    firmware: str | None
    imeis: tuple[ImeiReading, ...]
    raw: tuple[tuple[str, str], ...]

    @property
    def valid_imeis(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(reading.value for reading in self.imeis if reading.luhn_valid))


class SamsungModem:
    """The modem port, opened for the life of the context."""

    def __init__(
        self,
        port: str,
        *,
        timeout: float = 3.0,
        busy_retries: int = 5,
        busy_delay: float = 0.2,
    ) -> None:
        self.port = port
        self.timeout = timeout
        self.busy_retries = busy_retries
        self.busy_delay = busy_delay
        self._serial: serial.Serial | None = None

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def open(self) -> None:
        try:
            self._serial = serial.Serial(self.port, BAUDRATE, timeout=0.05, write_timeout=self.timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise SamsungModemError(f"cannot open the modem port: {exc}", port=self.port) from exc

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    def command(self, command: str) -> list[str]:
        """Send ``command``; the lines of the answer before ``OK``. BUSY is retried; ERROR and silence raise."""
        for attempt in range(self.busy_retries + 1):
            final, lines, raw = self._exchange(command)
            if final == "OK":
                return lines
            if final == "BUSY":
                log.info("%s: %s answered BUSY (attempt %d)", self.port, command, attempt + 1)
                time.sleep(self.busy_delay)
                continue
            raise ModemCommandError(f"{command} answered {final}", port=self.port, raw=raw)
        raise ModemBusy(f"{command} still BUSY after {self.busy_retries + 1} attempts", port=self.port, raw="BUSY")

    def _exchange(self, command: str) -> tuple[str, list[str], str]:
        port = self._serial
        if port is None:
            raise SamsungModemError("the modem port is not open", port=self.port)
        try:
            port.reset_input_buffer()
            port.write(command.encode("ascii") + b"\r")
            received = b""
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline:
                received += port.read(4096)
                lines = [line.strip() for line in received.decode("ascii", errors="replace").splitlines()]
                lines = [line for line in lines if line and line != command]
                if lines and _FINAL.match(lines[-1]) and received.endswith(b"\n"):
                    return lines[-1], lines[:-1], received.decode("ascii", errors="replace")
        except (serial.SerialException, OSError) as exc:
            raise SamsungModemError(f"the modem port failed: {exc}", port=self.port) from exc
        raw = received.decode("ascii", errors="replace")
        raise ModemTimeout(f"no complete answer to {command} in {self.timeout:g} s", port=self.port, raw=raw)

    def identity(self) -> ModemIdentity:
        """Model, serial and IMEI from AT+DEVCONINFO, and the IMEI again from AT+CGSN when it answers."""
        info_lines = self.command("AT+DEVCONINFO")
        info = parse_devconinfo("\n".join(info_lines))
        imeis: list[ImeiReading] = []
        if info.get("IMEI"):
            imeis.append(ImeiReading.of(info["IMEI"], "modem AT+DEVCONINFO IMEI()"))
        raw = [("AT+DEVCONINFO", "\n".join(info_lines))]
        try:
            cgsn_lines = self.command("AT+CGSN")
        except ModemCommandError as exc:
            raw.append(("AT+CGSN", exc.raw))
        else:
            raw.append(("AT+CGSN", "\n".join(cgsn_lines)))
            value = parse_cgsn(cgsn_lines)
            if value and imeis and imeis[0].value == value:
                imeis[0] = ImeiReading.of(value, "modem AT+DEVCONINFO IMEI(), confirmed by AT+CGSN")
            elif value:
                imeis.append(ImeiReading.of(value, "modem AT+CGSN"))
        version = info.get("VER", "")
        return ModemIdentity(
            port=self.port,
            model=info.get("MN") or None,
            serial=info.get("SN") or None,
            firmware=version.split("/", 1)[0] or None,
            imeis=tuple(imeis),
            raw=tuple(raw),
        )
