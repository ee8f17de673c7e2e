"""Factory reset of an Android phone, after checking that no lock would survive it.

Android 10+ with ``cmd testharness``: Test Harness Mode, recorded as what it is (a factory reset that keeps the
station's adb key). Otherwise the phone is rebooted to recovery and ``confirm`` asks the technician to run
"Wipe data/factory reset" and say when it finished. Neither is verified by the station, so both claim a NIST Clear,
not verified.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from audit.readings import ErasureOutcome, ErasureStatus, LockState, NistLevel, VerificationResult
from drivers.android import parsers
from drivers.android.errors import AndroidError, DeviceGone, LockedDevice
from drivers.android.locks import read_locks
from drivers.android.shell import PhoneShell

log = logging.getLogger(__name__)

Confirm = Callable[[str], bool]

TEST_HARNESS_METHOD = (
    "Android Test Harness Mode (cmd testharness enable): factory reset that keeps the station's adb key "
    "and leaves the phone in test-harness mode"
)
RECOVERY_METHOD = "factory reset from the recovery menu (Wipe data/factory reset), performed by the technician"


def _now() -> datetime:
    return datetime.now(UTC)


def erase(phone: PhoneShell, *, confirm: Confirm | None = None) -> ErasureOutcome:
    locks = read_locks(phone)
    blocking = [(kind, check) for kind, check in locks.items() if check.state in (LockState.ON, LockState.UNKNOWN)]
    if blocking:
        reasons = "; ".join(f"{kind.value} {check.state.value}: {check.evidence}" for kind, check in blocking)
        raise LockedDevice(f"not erased: remove the locks first ({reasons})", serial=phone.serial, raw=reasons)
    props = phone.props()
    sdk = parsers.parse_sdk(props.get("ro.build.version.sdk"))
    version = phone.server_version()
    tool_version = f"adb server 1.0.{version}; Android {props.get('ro.build.version.release', '?')} (SDK {sdk})"
    started = _now()
    if sdk is not None and sdk >= 29:
        outcome = _erase_test_harness(phone, started, tool_version, confirm)
        if outcome is not None:
            return outcome
    return _erase_in_recovery(phone, started, tool_version, confirm)


def _erase_test_harness(
    phone: PhoneShell, started: datetime, tool_version: str, confirm: Confirm | None
) -> ErasureOutcome | None:
    try:
        result = phone.shell("cmd testharness enable", check=False)
    except DeviceGone:
        if confirm is None:
            raise
        confirmed = confirm(
            "The phone disconnected after Test Harness Mode was asked for. Did it restart into a "
            "factory reset and then the setup screen?"
        )
        status = ErasureStatus.ERASED if confirmed else ErasureStatus.FAILED
        errors = () if confirmed else ("the phone disconnected and the technician did not see the reset",)
        return _outcome(phone, TEST_HARNESS_METHOD, status, started, tool_version, "technician confirmation", errors)
    if result.exit_status == 0:
        return _outcome(phone, TEST_HARNESS_METHOD, ErasureStatus.ERASED, started, tool_version, "none", ())
    log.info("%s: cmd testharness unavailable (%s): falling back to recovery", phone.serial, result.output.strip())
    return None


def _erase_in_recovery(
    phone: PhoneShell, started: datetime, tool_version: str, confirm: Confirm | None
) -> ErasureOutcome:
    if confirm is None:
        raise AndroidError(
            "this phone needs a guided reset in recovery: a technician must confirm it", serial=phone.serial
        )
    with contextlib.suppress(DeviceGone):  # the phone leaves adb as it reboots
        phone.shell("reboot recovery", check=False)
    confirmed = confirm(
        "The phone is restarting into recovery. Choose 'Wipe data/factory reset' with the volume keys, confirm "
        "with the power key, wait for 'Data wipe complete', then answer yes."
    )
    status = ErasureStatus.ERASED if confirmed else ErasureStatus.ABORTED
    return _outcome(phone, RECOVERY_METHOD, status, started, tool_version, "technician confirmation", ())


def _outcome(
    phone: PhoneShell,
    method: str,
    status: ErasureStatus,
    started: datetime,
    tool_version: str,
    verification: str,
    errors: tuple[str, ...],
) -> ErasureOutcome:
    return ErasureOutcome(
        method=method,
        # A factory reset is a Clear by NIST SP 800-88; the station does not verify it, so it claims no more.
        nist_level=NistLevel.CLEAR,
        status=status,
        started_at=started,
        finished_at=max(started, _now()),
        tool="adb",
        tool_version=tool_version,
        verification=verification,
        verification_result=VerificationResult.NOT_VERIFIED,
        media=f"Android phone {phone.serial}",
        errors=errors,
    )
