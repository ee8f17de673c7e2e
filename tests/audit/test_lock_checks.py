"""A lock the device could not tell, checked by hand at the bench: on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from audit import services
from audit.errors import InvalidInput, PermissionDenied, Refused
from audit.lifecycle import DeviceState
from audit.models import AuditEvent, Device, Inspection, LockRecord
from audit.readings import BatteryReading, FunctionalResult, LockCheck, LockKind, LockState, LockStatus
from tests.audit.bench_flow import NA, OFF, UowFactory, all_functional, battery, make_users, register

FMIP_UNKNOWN = LockStatus(
    "lockdown",
    icloud=LockCheck(LockState.UNKNOWN, "Setup Assistant: FMIP may read false, check required"),
    google_frp=NA,
    samsung=NA,
    mdm=OFF,
)
NOTE = "Settings > Apple ID: signed out; activation server says unlocked"


@pytest.fixture
def bench(uow_factory: UowFactory) -> UowFactory:
    make_users(uow_factory)
    return uow_factory


def open_inspection(bench: UowFactory, locks: LockStatus | None = FMIP_UNKNOWN) -> tuple[int, int]:
    """A registered iPhone with its battery and every test recorded, and ``locks`` as the device read them."""
    device_id = register(bench)
    with bench() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    # The locks last, as they were read: a lock found on closes the inspection.
    readings: list[BatteryReading | FunctionalResult | LockStatus] = [battery(), *all_functional()]
    if locks is not None:
        readings.append(locks)
    for reading in readings:
        with bench() as uow:
            services.record_reading(uow, "tech", inspection, reading)
    return device_id, inspection


def check(
    bench: UowFactory,
    inspection: int,
    state: LockState = LockState.OFF,
    note: str = NOTE,
    kind: LockKind = LockKind.ICLOUD,
    actor: str = "tech",
) -> int:
    with bench() as uow:
        return services.record_lock_check(uow, actor, inspection, kind, state, note)


def device_state(bench: UowFactory, device_id: int) -> str:
    with bench() as uow:
        device = uow.session.get(Device, device_id)
        assert device is not None
        return device.state


def test_find_my_unknown_checked_off_by_hand_lets_the_inspection_finish(bench: UowFactory) -> None:
    _device_id, inspection = open_inspection(bench)
    with bench() as uow, pytest.raises(Refused, match=r"lock status unknown, check required \(icloud\)"):
        services.finish_inspection(uow, "tech", inspection)

    reading_id = check(bench, inspection)

    with bench() as uow:
        row = uow.session.get(LockRecord, reading_id)
        assert row is not None
        status = LockStatus.from_record(row.data)
        assert row.verdict == "clear"
        event = uow.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "locks.checked_by_hand")
        ).scalar_one()
        assert event.actor == "tech"
        assert json.loads(event.payload) == {"inspection": inspection, "lock": "icloud", "state": "off", "note": NOTE}
        assert services.verify_chain(uow).valid
    assert status.source == "hand check at the bench (bench-1)"
    assert status.icloud == LockCheck(LockState.OFF, f"checked by hand by tech: {NOTE}")
    assert (status.mdm, status.google_frp, status.samsung) == (OFF, NA, NA), "the other locks stay as read"
    with bench() as uow:
        outcome = services.finish_inspection(uow, "tech", inspection)
    assert outcome.state is DeviceState.INSPECTED
    assert outcome.locks == "clear"


def test_with_no_lock_reading_yet_the_others_stay_unknown(bench: UowFactory) -> None:
    _device_id, inspection = open_inspection(bench, locks=None)
    check(bench, inspection)
    with bench() as uow, pytest.raises(Refused, match=r"check required \(mdm\)"):
        services.finish_inspection(uow, "tech", inspection)
    check(bench, inspection, kind=LockKind.MDM, note="Settings > General > VPN & Device Management: no profile")
    with bench() as uow:
        assert services.finish_inspection(uow, "tech", inspection).state is DeviceState.INSPECTED


def test_a_lock_checked_on_by_hand_quarantines_at_once(bench: UowFactory) -> None:
    device_id, inspection = open_inspection(bench)
    check(bench, inspection, LockState.ON, "Settings shows an Apple ID signed in; owner not reachable")
    assert device_state(bench, device_id) == "quarantined"
    with bench() as uow:
        device = uow.session.get(Device, device_id)
        record = uow.session.get(Inspection, inspection)
        assert device is not None
        assert record is not None
        assert device.state_reason == "locked: icloud"
        assert record.status == "completed"


@pytest.mark.parametrize(
    ("state", "hand_state"),
    [(LockState.ON, LockState.OFF), (LockState.ON, LockState.ON)],
    ids=["on-to-off", "on-to-on"],
)
def test_a_lock_read_on_cannot_be_cleared_by_hand(bench: UowFactory, state: LockState, hand_state: LockState) -> None:
    locked = LockStatus("lockdown", icloud=LockCheck(state, "FMiP on"), google_frp=NA, samsung=NA, mdm=OFF)
    device_id, inspection = open_inspection(bench, locks=locked)
    assert device_state(bench, device_id) == "quarantined"
    with pytest.raises(Refused, match=r"read on \(lockdown\): only the owner can remove it"):
        check(bench, inspection, hand_state)
    with bench() as uow:
        count = uow.session.execute(sa.select(sa.func.count()).select_from(LockRecord)).scalar_one()
    assert count == 1, "nothing written"


@pytest.mark.parametrize(
    ("actor", "state", "note", "error", "message"),
    [
        ("audrey", LockState.OFF, NOTE, PermissionDenied, "may not inspect"),
        ("wendy", LockState.OFF, NOTE, PermissionDenied, "may not inspect"),
        ("nobody", LockState.OFF, NOTE, PermissionDenied, "unknown or inactive"),
        ("tech", LockState.OFF, "", InvalidInput, "say what you checked"),
        ("tech", LockState.OFF, "  \n\t ", InvalidInput, "say what you checked"),
        ("tech", LockState.OFF, "x" * 201, InvalidInput, "keep it to 200"),
        ("tech", LockState.UNKNOWN, NOTE, InvalidInput, "on or off, not unknown"),
        ("tech", LockState.NOT_APPLICABLE, NOTE, InvalidInput, "on or off, not not applicable"),
    ],
    ids=["auditor", "warehouse", "unknown-user", "empty-note", "blank-note", "long-note", "unknown", "n-a"],
)
def test_refusals_write_nothing(
    bench: UowFactory, actor: str, state: LockState, note: str, error: type[Exception], message: str
) -> None:
    _device_id, inspection = open_inspection(bench)
    with pytest.raises(error, match=message):
        check(bench, inspection, state, note, actor=actor)
    with bench() as uow:
        verdicts = uow.session.execute(sa.select(LockRecord.verdict)).scalars().all()
    assert verdicts == ["unknown"]


def test_a_note_of_200_characters_is_kept_whole(bench: UowFactory) -> None:
    _device_id, inspection = open_inspection(bench)
    reading_id = check(bench, inspection, note="y" * 200)
    with bench() as uow:
        row = uow.session.get(LockRecord, reading_id)
        assert row is not None
        evidence = LockStatus.from_record(row.data).icloud.evidence
    assert evidence == "checked by hand by tech: " + "y" * 200


def test_a_closed_inspection_is_refused(bench: UowFactory) -> None:
    _device_id, inspection = open_inspection(bench)
    check(bench, inspection)
    with bench() as uow:
        services.finish_inspection(uow, "tech", inspection)
    with pytest.raises(Refused, match="is completed: start a new one"):
        check(bench, inspection, kind=LockKind.MDM)
