"""Send a label to a printer: a file (or a device node such as /dev/usb/lp0), raw TCP port 9100, or a serial port.

Targets are written as ``file:PATH`` (or just a path), ``tcp://HOST[:PORT]`` (port 9100 unless given) and
``serial:PORT[?baudrate=N]`` (9600 baud unless given; pyserial URLs such as ``loop://`` work too).
Zebra printers answer nothing on a raw print job, so a job is done when every byte was accepted.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import serial

log = logging.getLogger(__name__)

RAW_PORT = 9100
DEFAULT_BAUDRATE = 9600
DEFAULT_TIMEOUT = 10.0


class LabelPrinterError(Exception):
    """A label could not be sent: names the target and carries what the transport said."""

    def __init__(self, message: str, *, target: str, raw: str = "") -> None:
        super().__init__(message)
        self.target = target
        self.raw = raw


class TargetKind(enum.StrEnum):
    FILE = "file"
    TCP = "tcp"
    SERIAL = "serial"


@dataclasses.dataclass(frozen=True, slots=True)
class PrinterTarget:
    kind: TargetKind
    address: str  # path, host, or serial port / pyserial URL
    port: int = RAW_PORT
    baudrate: int = DEFAULT_BAUDRATE

    def __str__(self) -> str:
        if self.kind is TargetKind.TCP:
            return f"tcp://{self.address}:{self.port}"
        if self.kind is TargetKind.SERIAL:
            return f"serial:{self.address}?baudrate={self.baudrate}"
        return f"file:{self.address}"


def parse_target(spec: str) -> PrinterTarget:
    """``tcp://host:9100``, ``serial:/dev/ttyUSB0?baudrate=115200``, ``file:/tmp/label.zpl`` or a plain path."""
    text = spec.strip()
    if not text:
        raise LabelPrinterError("no printer given", target=spec)
    if text.startswith("tcp://"):
        parts = urlsplit(text)
        try:
            port = parts.port or RAW_PORT
        except ValueError as exc:
            raise LabelPrinterError(f"bad port in {spec!r}: {exc}", target=spec) from exc
        if not parts.hostname:
            raise LabelPrinterError(f"no host in {spec!r} (expected tcp://HOST[:PORT])", target=spec)
        return PrinterTarget(TargetKind.TCP, parts.hostname, port=port)
    if text.startswith("serial:"):
        rest = text.removeprefix("serial:")
        port_name, _, query = rest.partition("?")
        if port_name.startswith("//"):  # serial:///dev/ttyUSB0 as a URL, serial://COM3 on Windows
            port_name = port_name[2:]
        if not port_name:
            raise LabelPrinterError(f"no serial port in {spec!r} (expected serial:PORT)", target=spec)
        values = parse_qs(query)
        try:
            baudrate = int(values.get("baudrate", [str(DEFAULT_BAUDRATE)])[0])
        except ValueError as exc:
            raise LabelPrinterError(f"bad baud rate in {spec!r}", target=spec) from exc
        if baudrate <= 0:
            raise LabelPrinterError(f"bad baud rate in {spec!r}", target=spec)
        return PrinterTarget(TargetKind.SERIAL, port_name, baudrate=baudrate)
    path = text.removeprefix("file:")
    if not path:
        raise LabelPrinterError(f"no file in {spec!r}", target=spec)
    return PrinterTarget(TargetKind.FILE, path)


def send_label(target: PrinterTarget | str, data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send one print job; raise LabelPrinterError with the reason if the printer did not take every byte."""
    resolved = parse_target(target) if isinstance(target, str) else target
    if not data:
        raise LabelPrinterError("nothing to print", target=str(resolved))
    if resolved.kind is TargetKind.TCP:
        _send_tcp(resolved, data, timeout)
    elif resolved.kind is TargetKind.SERIAL:
        _send_serial(resolved, data, timeout)
    else:
        _send_file(resolved, data)
    log.info("sent %d bytes to %s", len(data), resolved)


def _send_file(target: PrinterTarget, data: bytes) -> None:
    path = Path(target.address)
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise LabelPrinterError(
            f"cannot write the label to {path}: {exc.strerror or exc}", target=str(target), raw=repr(exc)
        ) from exc


def _send_tcp(target: PrinterTarget, data: bytes, timeout: float) -> None:
    where = f"{target.address}:{target.port}"
    try:
        with socket.create_connection((target.address, target.port), timeout=timeout) as connection:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
    except TimeoutError as exc:
        raise LabelPrinterError(
            f"the label printer at {where} did not answer within {timeout:g} s", target=str(target), raw=repr(exc)
        ) from exc
    except ConnectionRefusedError as exc:
        raise LabelPrinterError(
            f"the label printer at {where} refused the connection: is it on, and is raw port {target.port} open?",
            target=str(target),
            raw=repr(exc),
        ) from exc
    except OSError as exc:
        raise LabelPrinterError(
            f"cannot send the label to {where}: {exc.strerror or exc}", target=str(target), raw=repr(exc)
        ) from exc


def _send_serial(target: PrinterTarget, data: bytes, timeout: float) -> None:
    try:
        port = serial.serial_for_url(target.address, baudrate=target.baudrate, timeout=timeout, write_timeout=timeout)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise LabelPrinterError(
            f"cannot open the serial port {target.address}: {exc}", target=str(target), raw=repr(exc)
        ) from exc
    try:
        written = port.write(data)
        port.flush()
    except serial.SerialTimeoutException as exc:
        raise LabelPrinterError(
            f"the printer on {target.address} stopped accepting data (paper out, or wrong baud rate?)",
            target=str(target),
            raw=repr(exc),
        ) from exc
    except (serial.SerialException, OSError) as exc:
        raise LabelPrinterError(
            f"cannot send the label on {target.address}: {exc}", target=str(target), raw=repr(exc)
        ) from exc
    finally:
        port.close()
    if written is not None and written != len(data):
        raise LabelPrinterError(
            f"the printer on {target.address} took {written} of {len(data)} bytes", target=str(target)
        )
