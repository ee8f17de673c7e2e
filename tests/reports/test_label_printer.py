"""The label printer driver on real transports: a file, a loopback TCP 9100 server, and a pty that pyserial opens."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printers.label_printer import (
    LabelPrinterError,
    PrinterTarget,
    TargetKind,
    parse_target,
    send_label,
)
from drivers.sim.serial_pty import PtySerialDevice
from reports.labels import zpl_labels
from tests.reports.factories import label

ZPL = zpl_labels([label()])


class RawPrinter:
    """A Zebra-like raw port on 127.0.0.1: reads each job until the client closes, answers nothing."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(5)
        self.port = self._server.getsockname()[1]
        self.jobs: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, name="raw-printer", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self._server.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(5)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
            self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self._server.close()
        self._thread.join(timeout=5)


@pytest.fixture
def raw_printer() -> Iterator[RawPrinter]:
    printer = RawPrinter()
    yield printer
    printer.close()


class SerialPrinter(PtySerialDevice):
    def respond(self, data: bytes) -> bytes:
        return b""


def _wait_for(condition: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("tcp://printer.local", PrinterTarget(TargetKind.TCP, "printer.local", port=9100)),
        ("tcp://10.0.0.7:6101", PrinterTarget(TargetKind.TCP, "10.0.0.7", port=6101)),
        ("serial:/dev/ttyUSB0", PrinterTarget(TargetKind.SERIAL, "/dev/ttyUSB0", baudrate=9600)),
        ("serial:///dev/ttyACM1?baudrate=115200", PrinterTarget(TargetKind.SERIAL, "/dev/ttyACM1", baudrate=115200)),
        ("serial:loop://", PrinterTarget(TargetKind.SERIAL, "loop://")),
        ("file:/tmp/label.zpl", PrinterTarget(TargetKind.FILE, "/tmp/label.zpl")),
        ("/dev/usb/lp0", PrinterTarget(TargetKind.FILE, "/dev/usb/lp0")),
    ],
    ids=["tcp-default-port", "tcp-port", "serial", "serial-url-baud", "pyserial-url", "file", "plain-path"],
)
def test_parse_target(spec: str, expected: PrinterTarget) -> None:
    assert parse_target(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no printer"),
        ("tcp://", "no host"),
        ("tcp://host:99999", "bad port"),
        ("serial:", "no serial port"),
        ("serial:/dev/ttyS0?baudrate=fast", "bad baud rate"),
        ("serial:/dev/ttyS0?baudrate=0", "bad baud rate"),
    ],
    ids=["empty", "tcp-no-host", "tcp-bad-port", "serial-no-port", "serial-baud-text", "serial-baud-zero"],
)
def test_bad_targets_are_named(spec: str, message: str) -> None:
    with pytest.raises(LabelPrinterError, match=message) as caught:
        parse_target(spec)
    assert caught.value.target == spec


def test_tcp_9100_receives_the_whole_job(raw_printer: RawPrinter) -> None:
    send_label(f"tcp://127.0.0.1:{raw_printer.port}", ZPL, timeout=5)
    _wait_for(lambda: raw_printer.jobs)
    assert raw_printer.jobs == [ZPL]


def test_tcp_refused_says_so() -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    with pytest.raises(LabelPrinterError, match="refused the connection") as caught:
        send_label(f"tcp://127.0.0.1:{port}", ZPL, timeout=2)
    assert caught.value.target == f"tcp://127.0.0.1:{port}"
    assert "ConnectionRefusedError" in caught.value.raw


def test_serial_printer_on_a_pty_receives_the_job() -> None:
    with SerialPrinter() as printer:
        send_label(f"serial:{printer.port}?baudrate=115200", ZPL, timeout=5)
        _wait_for(lambda: len(printer.received) >= len(ZPL))
        assert bytes(printer.received) == ZPL


def test_serial_port_missing_says_which(tmp_path: Path) -> None:
    missing = tmp_path / "ttyUSB9"
    with pytest.raises(LabelPrinterError, match=f"cannot open the serial port {missing}"):
        send_label(f"serial:{missing}", ZPL, timeout=1)


def test_file_target(tmp_path: Path) -> None:
    target = tmp_path / "label.zpl"
    send_label(f"file:{target}", ZPL)
    assert target.read_bytes() == ZPL


def test_unwritable_file_says_why(tmp_path: Path) -> None:
    with pytest.raises(LabelPrinterError, match="cannot write the label"):
        send_label(str(tmp_path / "no" / "such" / "dir" / "label.zpl"), ZPL)


def test_empty_job_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LabelPrinterError, match="nothing to print"):
        send_label(str(tmp_path / "x"), b"")
