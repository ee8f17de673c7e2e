"""The barcode scanner in serial mode: code classification, line splitting, the real pyserial on the pty simulator."""

from __future__ import annotations

import dataclasses
import queue
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.peripherals.scanner import (
    LineSplitter,
    ScanEvent,
    ScanKind,
    ScannerError,
    ScannerListener,
    SerialScanner,
    classify_scan,
    luhn_valid,
    scan_event,
)
from drivers.sim.scanner import SimulatedScanner

WAIT = 10.0  # an upper bound so a broken reader fails instead of hanging; not a timing assertion


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("490154203237518", ScanKind.IMEI, "490154203237518"),
        ("  356938035643809\t", ScanKind.IMEI, "356938035643809"),
        ("IMEI: 35 209900 176148 1", ScanKind.IMEI, "352099001761481"),
        ("imei356938035643809", ScanKind.IMEI, "356938035643809"),
        ("490154203237517", ScanKind.UNKNOWN, "490154203237517"),  # 15 digits, bad check digit: a misread
        ("LOT-2024-117", ScanKind.LOT, "2024-117"),
        ("lot:bm-77", ScanKind.LOT, "BM-77"),
        ("BAY-07", ScanKind.BAY, "7"),
        ("bay 12", ScanKind.BAY, "12"),
        ("BAY-0", ScanKind.UNKNOWN, "BAY-0"),
        ("C02XK1ZGJGH5", ScanKind.SERIAL, "C02XK1ZGJGH5"),
        ("r58m123abcd", ScanKind.SERIAL, "R58M123ABCD"),
        ("DMPXK2-ABC/1", ScanKind.SERIAL, "DMPXK2-ABC/1"),
        ("ab", ScanKind.UNKNOWN, "ab"),
        ("hello world!", ScanKind.UNKNOWN, "hello world!"),
        ("３５６９３８０３５６４３８０９", ScanKind.UNKNOWN, "３５６９３８０３５６４３８０９"),  # full-width digits
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_codes_are_classified(text: str, kind: ScanKind, value: str) -> None:
    assert classify_scan(text) == (kind, value)
    assert scan_event(text, "keyboard") == ScanEvent(value, kind, "keyboard")


def test_scan_events_are_frozen_values() -> None:
    event = scan_event("BAY-3", "keyboard")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.text = "4"  # type: ignore[misc]
    assert event == ScanEvent("3", ScanKind.BAY, "keyboard")


def _check_digit(body: str) -> str:
    return next(d for d in "0123456789" if luhn_valid(body + d))


@given(st.text("0123456789", min_size=14, max_size=14), st.integers(0, 14), st.integers(1, 9))
def test_luhn_accepts_the_check_digit_and_catches_any_single_digit_error(body: str, at: int, shift: int) -> None:
    imei = body + _check_digit(body)
    assert classify_scan(imei) == (ScanKind.IMEI, imei)
    wrong = imei[:at] + str((int(imei[at]) + shift) % 10) + imei[at + 1 :]
    assert not luhn_valid(wrong)


@given(
    st.lists(st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=20), max_size=8),
    st.sampled_from([b"\r", b"\n", b"\r\n"]),
    st.lists(st.integers(1, 7), min_size=1, max_size=20),
)
def test_lines_come_out_whole_however_the_bytes_are_chunked(codes: list[str], end: bytes, cuts: list[int]) -> None:
    stream = b"".join(code.encode() + end for code in codes)
    splitter, lines, position, index = LineSplitter(), [], 0, 0
    while position < len(stream):
        size = cuts[index % len(cuts)]
        lines += splitter.feed(stream[position : position + size])
        position, index = position + size, index + 1
    assert lines == codes


def test_an_endless_line_is_dropped_not_kept_forever() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"x" * 300) == []
    assert splitter.feed(b"BAY-2\n") == ["BAY-2"]


@pytest.fixture
def scanner_pair() -> Iterator[tuple[SimulatedScanner, SerialScanner]]:
    with SimulatedScanner() as sim, SerialScanner(sim.port, timeout=0.05) as scanner:
        yield sim, scanner


def _events(scanner: SerialScanner, count: int) -> list[ScanEvent]:
    events: list[ScanEvent] = []
    for _ in range(int(WAIT / 0.05)):
        events += scanner.read_events()
        if len(events) >= count:
            break
    return events


@pytest.mark.parametrize("terminator", [b"\r\n", b"\r", b"\n"], ids=["crlf", "cr", "lf"])
def test_the_real_pyserial_reads_scans_from_the_simulated_scanner(terminator: bytes) -> None:
    with SimulatedScanner(terminator) as sim, SerialScanner(sim.port, timeout=0.05) as scanner:
        for code in ("356938035643809", "LOT-2024-117", "BAY-3", "C02XK1ZGJGH5"):
            sim.scan(code)
        events = _events(scanner, 4)
    source = f"scanner:{sim.port}"
    assert events == [
        ScanEvent("356938035643809", ScanKind.IMEI, source),
        ScanEvent("2024-117", ScanKind.LOT, source),
        ScanEvent("3", ScanKind.BAY, source),
        ScanEvent("C02XK1ZGJGH5", ScanKind.SERIAL, source),
    ]


def test_the_listener_hands_events_over_on_its_thread(scanner_pair: tuple[SimulatedScanner, SerialScanner]) -> None:
    sim, scanner = scanner_pair
    received: queue.Queue[ScanEvent] = queue.Queue()
    with ScannerListener(scanner, received.put):
        sim.scan("BAY-5")
        sim.scan("490154203237518")
        assert received.get(timeout=WAIT).kind is ScanKind.BAY
        assert received.get(timeout=WAIT).text == "490154203237518"


def test_garbage_bytes_become_an_unknown_scan_not_a_crash(scanner_pair: tuple[SimulatedScanner, SerialScanner]) -> None:
    sim, scanner = scanner_pair
    sim.send(b"\xff\xfe\x00junk\r\n")
    sim.scan("BAY-1")
    events = _events(scanner, 2)
    assert [e.kind for e in events] == [ScanKind.UNKNOWN, ScanKind.BAY]


def test_a_missing_port_is_a_clear_error() -> None:
    with pytest.raises(ScannerError, match="cannot open the barcode scanner on /nonexistent/ttyACM9"):
        SerialScanner("/nonexistent/ttyACM9").open()
