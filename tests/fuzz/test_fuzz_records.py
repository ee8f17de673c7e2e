"""Bad-input sweep of what the station reads back from files and records: the partner's lot CSV, stored readings
(``from_record``) and the certificate envelope (QR code / PDF metadata)."""

from __future__ import annotations

import base64
import json
import math
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import example, given
from hypothesis import strategies as st

from audit.certificates import CertificateError
from audit.readings import (
    BatteryReading,
    CapacityUnit,
    CosmeticDefect,
    DefectKind,
    DefectSeverity,
    DefectZone,
    DeviceFamily,
    DeviceIdentity,
    ErasureOutcome,
    ErasureStatus,
    FunctionalResult,
    LockCheck,
    LockState,
    LockStatus,
    MeasuredBy,
    NistLevel,
    ReadingError,
    TestOutcome,
    VerificationResult,
)
from audit.rules.lot_csv import LotCsv, parse_lot_csv
from reports.certificate import ENVELOPE_FORMAT, parse_envelope, verify_signed_certificate
from tests.fuzz._support import (
    flipped_bytes,
    fuzz_settings,
    json_text,
    json_values,
    mutated_structure,
    mutated_text,
    odd_values,
    run_parser,
)

FUZZ = fuzz_settings(60)

# --- the partner's lot CSV -----------------------------------------------------------------------------------------

CSV_SAMPLES = (
    "model,storage,condition,price,currency,imei,charger\niPhone 12,128,excellent,300.00,EUR,356938035643809,yes\n"
    'Galaxy S21,256 GB,good,"199,90",EUR,R5CR10ABCDE,no\n',
    "\ufeffModèle;Stockage;État;Prix;Devise;IMEI;Chargeur\r\niPhone 12;128 Go;Très bon état;299,90;EUR;"
    "35-693803-564380-9;non\r\n",
)


@FUZZ
@given(
    st.one_of(
        st.sampled_from(CSV_SAMPLES).flatmap(lambda text: mutated_text(text)),
        st.sampled_from([s.encode("cp1252", "replace") for s in CSV_SAMPLES]).flatmap(flipped_bytes),
        st.text(max_size=300),
        st.binary(max_size=300),
    )
)
@example("model,price\n" + "x" * 20_000 + ",1\n")
@example('model,condition,price\n"unterminated,excellent,1\n')
@example("model,condition,price,storage\niPhone,excellent,1e999,99999999999\n")
@example("model,condition,price\niPhone,excellent,NaN\n")
@example("model,condition,price\niPhone,excellent,-Infinity €\n")
@example(b"\xff\xfe" + "model,condition,price\n".encode("utf-16-le") + b"\x00\xd8")
def test_lot_csv(data: str | bytes) -> None:
    """Problems are reported per line; the parser itself never raises."""
    parsed, _ = run_parser(lambda: parse_lot_csv(data), ())
    assert isinstance(parsed, LotCsv)
    for line in parsed.lines:
        assert line.quoted_price.is_finite()
        assert line.quoted_price >= 0  # 0 is accepted on purpose (a device given for nothing)
        assert line.storage_gb is None or line.storage_gb > 0
    assert parsed.ok or parsed.problems


# --- stored readings -----------------------------------------------------------------------------------------------

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
READINGS = [
    DeviceIdentity(DeviceFamily.IPHONE, "Apple", "iPhone 13", "MLPF3ZD/A", "F2LXK0JHJG5J", ("356938035643809",)),
    BatteryReading("iOS IORegistry", 3227.0, 2950.0, CapacityUnit.MAH, 312, None, (("CycleCount", "312"),)),
    BatteryReading("macos-system_profiler", cycle_count=12, state_of_health=91.0),
    LockStatus("adb", LockCheck(LockState.OFF, "no account"), LockCheck(LockState.ON, "Google account j***@gmail.com")),
    FunctionalResult("charging", TestOutcome.PASS, MeasuredBy.INSTRUMENT, "1.2 A", (("current_a", "1.2"),)),
    CosmeticDefect(DefectZone.SCREEN, DefectKind.SCRATCH, DefectSeverity.LIGHT, "top left"),
    ErasureOutcome(
        "overwrite zeros, 1 pass",
        NistLevel.CLEAR,
        ErasureStatus.ERASED,
        T0,
        T0.replace(hour=10),
        "refurb-erase",
        "1.0",
        "all passes",
        VerificationResult.PASSED,
        bytes_erased=256_060_514_304,
    ),
]
RECORDS = [(type(reading), reading.as_record()) for reading in READINGS]


@pytest.mark.parametrize("reading", READINGS, ids=[type(r).__name__ for r in READINGS])
def test_records_round_trip(reading: Any) -> None:
    assert type(reading).from_record(json.loads(json.dumps(reading.as_record()))) == reading


@FUZZ
@given(case=st.sampled_from(range(len(RECORDS))), data=st.data())
def test_from_record(case: int, data: st.DataObject) -> None:
    kind, record = RECORDS[case]
    mutated = data.draw(st.one_of(mutated_structure(record), mutated_structure(record, json_values), odd_values))
    reading, _ = run_parser(lambda: kind.from_record(mutated), (ReadingError,))
    if isinstance(reading, BatteryReading):
        for value in (reading.design_capacity, reading.full_charge_capacity, reading.state_of_health):
            assert value is None or (isinstance(value, int | float) and math.isfinite(value) and value >= 0)
        assert reading.soh_percent is None or math.isfinite(reading.soh_percent)


RECORD_REGRESSIONS = [
    pytest.param(BatteryReading, {"source": "x", "design_capacity": "3000", "unit": "mAh"}, id="capacity-as-text"),
    pytest.param(BatteryReading, {"source": "x", "state_of_health": float("nan")}, id="nan-health"),
    pytest.param(BatteryReading, {"source": "x", "state_of_health": float("inf")}, id="inf-health"),
    pytest.param(BatteryReading, {"source": "x", "raw": 5}, id="raw-not-a-list"),
    pytest.param(BatteryReading, {"source": 5}, id="source-not-text"),
    pytest.param(DeviceIdentity, {"family": "iphone", "make": 1, "model": "x", "serial": "S"}, id="make-not-text"),
    pytest.param(
        DeviceIdentity, {"family": "iphone", "make": "A", "model": "x", "imeis": "356938035643809"}, id="imeis-a-string"
    ),
    pytest.param(ErasureOutcome, {**READINGS[6].as_record(), "started_at": 5}, id="date-not-text"),  # type: ignore[attr-defined]
    pytest.param(ErasureOutcome, {**READINGS[6].as_record(), "started_at": "2026-01-05T09:00:00"}, id="naive-date"),  # type: ignore[attr-defined]
    pytest.param(ErasureOutcome, {**READINGS[6].as_record(), "finished_at": "yesterday"}, id="date-not-iso"),  # type: ignore[attr-defined]
    pytest.param(LockStatus, {"source": "x", "icloud": "on"}, id="nested-not-a-record"),
    pytest.param(FunctionalResult, {"test_id": None, "outcome": "pass", "measured_by": "manual"}, id="no-test-id"),
]


@pytest.mark.parametrize(("kind", "record"), RECORD_REGRESSIONS)
def test_from_record_regressions(kind: Any, record: dict[str, Any]) -> None:
    reading, _error = run_parser(lambda: kind.from_record(record), (ReadingError,))
    if isinstance(reading, BatteryReading):
        assert reading.soh_percent is None or math.isfinite(reading.soh_percent)


# --- the certificate envelope --------------------------------------------------------------------------------------

_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
_RAW_PUBLIC = _KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
ENVELOPE = {
    "format": ENVELOPE_FORMAT,
    "payload": base64.b64encode(b'{"device": "F2LXK0JHJG5J"}').decode(),
    "signature": base64.b64encode(_KEY.sign(b'{"device": "F2LXK0JHJG5J"}')).decode(),
    "key_fingerprint": "0" * 64,
    "public_key": base64.b64encode(_RAW_PUBLIC).decode(),
}


@FUZZ
@given(
    st.one_of(
        st.just(ENVELOPE).flatmap(mutated_structure).map(json_text),
        st.just(json.dumps(ENVELOPE)).flatmap(lambda text: mutated_text(text)),
        json_values.map(json_text),
        st.text(max_size=200),
    )
)
@example("[" * 100_000 + "]" * 100_000)
@example(json.dumps({**ENVELOPE, "public_key": "9" * 5000}))
@example(json.dumps({**ENVELOPE, "public_key": ["a"]}))
@example("9" * 5000)
def test_envelope(text: str) -> None:
    signed, _ = run_parser(lambda: parse_envelope(text), (CertificateError,))
    if signed is not None:
        run_parser(lambda: verify_signed_certificate(signed), (CertificateError,))
