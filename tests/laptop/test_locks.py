"""Laptop locks the agent can read (Activation Lock, MDM enrolment, firmware password) and what stays unknown."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.readings import LockState
from drivers.laptop.errors import ParseError
from drivers.laptop.locks import (
    COMPUTRACE,
    FIRMWARE_PASSWORD,
    LockReader,
    parse_activation_lock,
    parse_enrollment,
    parse_firmware_password,
)
from drivers.laptop.runner import CapturedRunner


def hardware(**fields: str) -> str:
    overview = {"_name": "hardware_overview", "chip_type": "Apple M2", "machine_model": "Mac14,2", **fields}
    return json.dumps({"SPHardwareDataType": [overview]}, indent=2)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        (hardware(activation_lock_status="activation_lock_enabled"), LockState.ON),
        (hardware(activation_lock_status="activation_lock_disabled"), LockState.OFF),
        (hardware(), LockState.UNKNOWN),  # a Mac without T2 / Apple silicon does not report it
        (hardware(activation_lock_status="something_new"), LockState.UNKNOWN),
    ],
    ids=["enabled", "disabled", "not-reported", "unheard-of-value"],
)
def test_activation_lock(text: str, state: LockState) -> None:
    assert parse_activation_lock(text).state is state


@pytest.mark.parametrize("text", ["", "{", "[]", '{"SPHardwareDataType": []}'], ids=["empty", "cut", "list", "none"])
def test_activation_lock_unreadable(text: str) -> None:
    with pytest.raises(ParseError):
        parse_activation_lock(text)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Enrolled via DEP: No\nMDM enrollment: No\n", LockState.OFF),
        ("Enrolled via DEP: No\nMDM enrollment: Yes (User Approved)\n", LockState.ON),
        ("Enrolled via DEP: Yes\nMDM enrollment: Yes\n", LockState.ON),
        ("Enrolled via DEP: Yes\n", LockState.ON),
        ("profiles: error: not permitted\n", LockState.UNKNOWN),
        ("", LockState.UNKNOWN),
    ],
    ids=["not-enrolled", "user-approved", "dep", "dep-only", "error", "empty"],
)
def test_enrollment(text: str, state: LockState) -> None:
    assert parse_enrollment(text).state is state


@pytest.mark.parametrize(
    ("text", "state"),
    [("Password Enabled: Yes\n", LockState.ON), ("Password Enabled: No\n", LockState.OFF), ("", LockState.UNKNOWN)],
    ids=["set", "not-set", "no-answer"],
)
def test_firmware_password(text: str, state: LockState) -> None:
    assert parse_firmware_password(text).state is state


def test_reader_on_a_mac() -> None:
    runner = CapturedRunner()
    runner.add("system_profiler SPHardwareDataType -json", hardware(activation_lock_status="activation_lock_enabled"))
    runner.add("profiles status -type enrollment", "Enrolled via DEP: No\nMDM enrollment: No\n")
    locks = LockReader(runner, make="Apple Inc.", system="Darwin").read()
    assert (locks.status.icloud.state, locks.status.mdm.state) == (LockState.ON, LockState.OFF)
    firmware = dict(locks.firmware)
    assert firmware[FIRMWARE_PASSWORD].state is LockState.UNKNOWN
    assert "firmwarepasswd is not installed" in firmware[FIRMWARE_PASSWORD].evidence
    assert firmware[COMPUTRACE].state is LockState.UNKNOWN


@pytest.mark.parametrize(
    ("make", "icloud"),
    [("LENOVO", LockState.NOT_APPLICABLE), ("Apple Inc.", LockState.UNKNOWN), (None, LockState.UNKNOWN)],
    ids=["lenovo", "mac-booted-from-the-stick", "make-unknown"],
)
def test_reader_from_the_boot_stick(make: str | None, icloud: LockState) -> None:
    runner = CapturedRunner()
    locks = LockReader(runner, make=make, system="Linux").read()
    assert locks.status.icloud.state is icloud
    assert locks.status.mdm.state is LockState.UNKNOWN
    assert "checked at the bench" in locks.status.mdm.evidence
    assert {name for name, _ in locks.firmware} == {FIRMWARE_PASSWORD, COMPUTRACE}
    assert runner.calls == []  # nothing to ask from a live system
    record = locks.as_record()
    assert record["locks"]["icloud"]["state"] == icloud.value
    assert record["firmware_locks"][FIRMWARE_PASSWORD]["state"] == "unknown"


@given(st.text(max_size=300))
def test_lock_parsers_never_invent_a_state(text: str) -> None:
    for parse in (parse_enrollment, parse_firmware_password):
        check = parse(text)
        if check.state is LockState.OFF:
            assert "No" in text or "no" in text.lower()
    with contextlib.suppress(ParseError):
        parse_activation_lock(text)
