"""Bad-input sweep of the peripherals: Samsung AT replies, UM meter records, scanner lines."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from drivers.peripherals.samsung_at import parse_cgsn, parse_devconinfo
from drivers.peripherals.scanner import LineSplitter, ScanKind, classify_scan, scan_event
from drivers.peripherals.usb_meter import RECORD_LENGTH, MeterError, MeterModel, parse_record
from drivers.sim.samsung_modem import SamsungModemSim
from drivers.sim.um_meter import encode_record
from tests.fuzz._support import flipped_bytes, fuzz_settings, run_parser, text_inputs

FUZZ = fuzz_settings(100)
MODEM = SamsungModemSim(model="SM-G991B", serial="R5CR10ABCDE", imei="356789012345675")
DEVCONINFO = MODEM.devconinfo()
RECORDS = tuple(encode_record(model, 5.08, 1.234, mah=812, group=3) for model in MeterModel)


@FUZZ
@given(text_inputs(DEVCONINFO, f"AT+DEVCONINFO\r\n{DEVCONINFO}\r\n#OK#\r\nOK"))
@example("+DEVCONINFO: MN(((;SN(" + "(" * 5000)
def test_devconinfo(text: str) -> None:
    fields, _ = run_parser(lambda: parse_devconinfo(text), ())
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in fields.items())


@FUZZ
@given(st.lists(text_inputs('+CGSN: "356789012345675"', "356789012345675", "OK"), max_size=5))
@example(["٣٥٦٧٨٩٠١٢٣٤٥٦٧٥"])  # Arabic-Indic digits are \d to Python, not an IMEI
def test_cgsn(lines: list[str]) -> None:
    imei, _ = run_parser(lambda: parse_cgsn(lines), ())
    assert imei is None or (imei.isascii() and imei.isdigit())


@FUZZ
@given(st.one_of(st.sampled_from(RECORDS).flatmap(flipped_bytes), st.binary(max_size=300)))
@example(RECORDS[0][:2] + b"\xff" * (RECORD_LENGTH - 4) + b"\xff\xf1")
def test_meter_record(data: bytes) -> None:
    reading, _ = run_parser(lambda: parse_record(data, device="/dev/rfcomm0"), (MeterError,))
    if reading is not None:
        assert 0 <= reading.group <= 9
        assert reading.voltage_v >= 0
        assert reading.current_a >= 0


@pytest.mark.parametrize("record", RECORDS, ids=[model.value for model in MeterModel])
def test_meter_record_round_trip(record: bytes) -> None:
    reading = parse_record(record)
    assert (reading.voltage_v, reading.current_a, reading.group) == (5.08, 1.234, 3)


@FUZZ
@given(st.lists(st.binary(max_size=64) | st.sampled_from([b"\r", b"\n", b"\r\n", b"356789012345675\r\n"]), max_size=30))
@example([b"\xff" * 5000])
def test_scanner_lines(chunks: list[bytes]) -> None:
    splitter = LineSplitter()
    for chunk in chunks:
        lines, _ = run_parser(lambda chunk=chunk: splitter.feed(chunk), ())
        for line in lines:
            kind, value = run_parser(lambda line=line: classify_scan(line), ())[0]
            assert isinstance(kind, ScanKind)
            assert isinstance(value, str)
            if kind is ScanKind.IMEI:
                assert len(value) == 15
                assert value.isascii()
                assert value.isdigit()


@FUZZ
@given(text_inputs("356789012345675", "IMEI: 35 678901 234567 5", "LOT-2024-0012", "BAY 07", "C02XK0JHJG5J"))
@example("٣٥٦٧٨٩٠١٢٣٤٥٦٧٥")
def test_scan_event(text: str) -> None:
    event, _ = run_parser(lambda: scan_event(text, "keyboard"), ())
    assert isinstance(event.kind, ScanKind)
