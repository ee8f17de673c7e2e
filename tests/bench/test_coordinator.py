"""The bench coordinator and its supervisors on the simulated iPhones and Android phones and a real SQLite file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.bench.actions import ActionCode, Tone
from app.bench.coordinator import BenchCoordinator, key_of
from app.bench.events import (
    DeviceSeen,
    DriverStatus,
    NeedsAction,
    Platform,
    ReadingRecorded,
    Step,
    StepStarted,
    Unplugged,
)
from app.station import Station
from audit.models import AuditEvent, BatteryRecord, FunctionalRecord, Inspection, LockRecord
from audit.readings import BatteryReading, DeviceIdentity, FunctionalResult, LockStatus
from drivers.sim.android import AdbServerSim
from drivers.sim.android_phone import SimPhone, luhn_complete
from drivers.sim.ios import IosSimulator, PairingState, SimIphone
from tests.bench.conftest import CoordinatorFactory, Events

GOOGLE = "com.google"
IOS_UNPLUG_LEAK = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def android_phone(index: int, **fields: object) -> SimPhone:
    fields.setdefault("imei", luhn_complete(f"35882714{index:06d}"))
    return SimPhone(serial=f"3A1{index:08d}", profile="pixel", **fields)  # type: ignore[arg-type]


def final_action(events: Events, key: str) -> NeedsAction:
    """The action a supervisor ends on (anything but the 'working' ones)."""
    event = events.wait_for(
        lambda e: isinstance(e, NeedsAction) and e.key == key and e.action.tone is not Tone.WORKING,
        f"final action for {key}",
    )
    assert isinstance(event, NeedsAction)
    return event


def inspections(station: Station, device_id: int) -> list[tuple[int, str]]:
    with station.engine.connect() as connection:
        rows = connection.execute(
            sa.select(Inspection.id, Inspection.status).where(Inspection.device_id == device_id).order_by(Inspection.id)
        )
        return [(row.id, row.status) for row in rows]


def count(station: Station, model: type, inspection_id: int) -> int:
    with station.engine.connect() as connection:
        query = sa.select(sa.func.count()).select_from(model).where(model.inspection_id == inspection_id)
        return int(connection.execute(query).scalar_one())


def readings_of(events: Events, key: str) -> list[object]:
    return [e.reading for e in events.of(key) if isinstance(e, ReadingRecorded)]


def test_an_iphone_is_identified_inspected_and_ready_to_grade(
    make_coordinator: CoordinatorFactory, events: Events, ios_sim: IosSimulator, station: Station
) -> None:
    phone = SimIphone.make(0)
    make_coordinator(android=False)
    ios_sim.plug(phone)
    key = key_of(Platform.IOS, phone.udid)

    action = final_action(events, key)

    assert action.action.code is ActionCode.READY_TO_GRADE
    assert action.message == "Ready to grade"
    seen = events.of(key)
    assert isinstance(seen[0], DeviceSeen)
    assert seen[0].connection == phone.udid
    steps = [e.step for e in seen if isinstance(e, StepStarted)]
    assert steps == [Step.IDENTITY, Step.BATTERY, Step.LOCKS]
    kinds = [type(r) for r in readings_of(events, key)]
    assert kinds == [DeviceIdentity, BatteryReading, LockStatus]
    identity = readings_of(events, key)[0]
    assert isinstance(identity, DeviceIdentity)
    assert identity.serial == phone.serial
    assert action.device_id is not None
    [(inspection_id, status)] = inspections(station, action.device_id)
    assert status == "open"  # the manual checklist comes next
    assert count(station, BatteryRecord, inspection_id) == 1
    assert count(station, LockRecord, inspection_id) == 1


def test_an_android_phone_gets_its_automatic_probes_recorded(
    make_coordinator: CoordinatorFactory, events: Events, adb_sim: AdbServerSim, station: Station
) -> None:
    phone = android_phone(1)
    make_coordinator(ios=False)
    adb_sim.plug(phone)
    key = key_of(Platform.ANDROID, phone.serial)

    action = final_action(events, key)

    assert action.action.code is ActionCode.READY_TO_GRADE, action.message
    probes = [r for r in readings_of(events, key) if isinstance(r, FunctionalResult)]
    assert {p.test_id for p in probes} >= {"wifi", "bluetooth"}
    assert action.device_id is not None
    [(inspection_id, _status)] = inspections(station, action.device_id)
    assert count(station, FunctionalRecord, inspection_id) == len(probes)


def test_a_phone_with_a_google_account_is_quarantined_and_stays_so_when_plugged_again(
    make_coordinator: CoordinatorFactory, events: Events, adb_sim: AdbServerSim, station: Station
) -> None:
    phone = android_phone(2, accounts=[("owner@gmail.com", GOOGLE)])
    make_coordinator(ios=False)
    adb_sim.plug(phone)
    key = key_of(Platform.ANDROID, phone.serial)

    action = final_action(events, key)

    assert action.message == "Google account present: ask the owner to remove it"
    assert action.action.tone is Tone.BLOCKED
    assert action.state == "quarantined"
    assert action.device_id is not None
    [(_, status)] = inspections(station, action.device_id)
    assert status == "completed"

    adb_sim.unplug(phone.serial)
    events.wait_for(lambda e: isinstance(e, Unplugged) and e.key == key, "unplug")
    before = len(events.of(key))
    adb_sim.plug(phone)
    again = events.wait_for(
        lambda e: (
            isinstance(e, NeedsAction)
            and e.key == key
            and e.action.tone is Tone.BLOCKED
            and events.seen.index(e) >= before
        ),
        "the action after the re-plug",
    )
    assert isinstance(again, NeedsAction)
    assert again.message == "Google account present: ask the owner to remove it"
    assert [status for _, status in inspections(station, action.device_id)] == ["completed"]  # no new pass


def test_an_iphone_waiting_for_trust_says_so_then_carries_on_once_trusted(
    make_coordinator: CoordinatorFactory, events: Events, ios_sim: IosSimulator
) -> None:
    phone = SimIphone.make(1, pairing=PairingState.TRUST_PENDING)
    make_coordinator(android=False)
    ios_sim.plug(phone)
    key = key_of(Platform.IOS, phone.udid)

    waiting = final_action(events, key)
    assert waiting.message == "Trust this computer on the phone"
    assert waiting.action.tone is Tone.WAITING

    phone.pairing = PairingState.WILL_TRUST  # the technician taps Trust
    ready = events.wait_for(
        lambda e: isinstance(e, NeedsAction) and e.key == key and e.action.code is ActionCode.READY_TO_GRADE,
        "ready after trust",
    )
    assert isinstance(ready, NeedsAction)


def test_an_unauthorised_android_phone_asks_for_usb_debugging_then_carries_on(
    make_coordinator: CoordinatorFactory, events: Events, adb_sim: AdbServerSim
) -> None:
    phone = android_phone(3, state="unauthorized")
    make_coordinator(ios=False)
    adb_sim.plug(phone)
    key = key_of(Platform.ANDROID, phone.serial)

    waiting = final_action(events, key)
    assert waiting.message == "Accept the USB debugging prompt"

    adb_sim.set_state(phone.serial, "device")
    events.wait_for(
        lambda e: isinstance(e, NeedsAction) and e.key == key and e.action.code is ActionCode.READY_TO_GRADE,
        "ready after the prompt",
    )
    assert sum(isinstance(e, DeviceSeen) for e in events.of(key)) == 1  # one tile all along


def _unplug_mid_step_then_replug(
    platform: Platform,
    coordinator: BenchCoordinator,
    events: Events,
    station: Station,
    ios_sim: IosSimulator,
    adb_sim: AdbServerSim,
) -> None:
    if platform is Platform.IOS:
        phone_i = SimIphone.make(2, answer_delay=0.05)
        key = key_of(platform, phone_i.udid)
        ios_sim.plug(phone_i)
    else:
        phone_a = android_phone(4, unplug_on="dumpsys account")  # pulled out half-way through the lock check
        key = key_of(platform, phone_a.serial)
        adb_sim.plug(phone_a)
    events.wait_for(lambda e: isinstance(e, ReadingRecorded) and e.key == key and e.recorded, "a recorded reading")
    if platform is Platform.IOS:
        events.wait_for(lambda e: isinstance(e, StepStarted) and e.key == key and e.step is Step.BATTERY, "battery")
        ios_sim.unplug(phone_i)
    unplugged = events.wait_for(lambda e: isinstance(e, Unplugged) and e.key == key, "unplugged")
    assert isinstance(unplugged, Unplugged)
    assert unplugged.interrupted_inspection is not None
    first = next(e for e in events.of(key) if isinstance(e, ReadingRecorded))
    assert first.device_id is not None
    assert inspections(station, first.device_id) == [(unplugged.interrupted_inspection, "interrupted")]
    assert not any(isinstance(e, NeedsAction) and e.action.tone is not Tone.WORKING for e in events.of(key))

    if platform is Platform.IOS:
        phone_i.answer_delay = 0
        ios_sim.plug(phone_i)
    else:
        phone_a.unplug_on = None
        adb_sim.plug(phone_a)
    ready = events.wait_for(
        lambda e: isinstance(e, NeedsAction) and e.key == key and e.action.code is ActionCode.READY_TO_GRADE,
        "ready after the re-plug",
    )
    assert isinstance(ready, NeedsAction)
    assert inspections(station, first.device_id) == [(unplugged.interrupted_inspection, "open")]  # resumed
    with station.engine.connect() as connection:
        actions = connection.execute(sa.select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
    assert "inspection.interrupted" in actions
    assert "inspection.resumed" in actions
    assert count(station, LockRecord, unplugged.interrupted_inspection) == 1


# The iOS driver can leave the TLS transport of a service connection cut by the unplug to the garbage collector
# (reported to the driver's owner); collected here, inside this test.
@IOS_UNPLUG_LEAK
def test_an_iphone_unplugged_mid_step_resumes_its_inspection_on_replug(
    make_coordinator: CoordinatorFactory, events: Events, station: Station, ios_sim: IosSimulator, adb_sim: AdbServerSim
) -> None:
    coordinator = make_coordinator(android=False)
    _unplug_mid_step_then_replug(Platform.IOS, coordinator, events, station, ios_sim, adb_sim)


def test_an_android_phone_unplugged_mid_step_resumes_its_inspection_on_replug(
    make_coordinator: CoordinatorFactory, events: Events, station: Station, ios_sim: IosSimulator, adb_sim: AdbServerSim
) -> None:
    coordinator = make_coordinator(ios=False)
    _unplug_mid_step_then_replug(Platform.ANDROID, coordinator, events, station, ios_sim, adb_sim)


def test_one_bad_phone_never_disturbs_the_others(
    make_coordinator: CoordinatorFactory, events: Events, adb_sim: AdbServerSim, ios_sim: IosSimulator
) -> None:
    bad = android_phone(5, garbage_on="*")
    good = [android_phone(6), android_phone(7)]
    make_coordinator()
    for phone in (bad, *good):
        adb_sim.plug(phone)
    ios_sim.plug(SimIphone.make(3))

    for key in [key_of(Platform.ANDROID, p.serial) for p in good] + [key_of(Platform.IOS, SimIphone.make(3).udid)]:
        assert final_action(events, key).action.code is ActionCode.READY_TO_GRADE
    problem = final_action(events, key_of(Platform.ANDROID, bad.serial))
    assert problem.action.tone is Tone.BLOCKED
    assert problem.action.code is ActionCode.FAILED


def test_closing_the_station_saves_open_inspections_as_interrupted(
    make_coordinator: CoordinatorFactory, events: Events, ios_sim: IosSimulator, station: Station
) -> None:
    phone = SimIphone.make(4)
    coordinator = make_coordinator(android=False)
    ios_sim.plug(phone)
    action = final_action(events, key_of(Platform.IOS, phone.udid))
    assert action.device_id is not None

    coordinator.close()

    assert [status for _, status in inspections(station, action.device_id)] == ["interrupted"]


def test_someone_who_may_not_inspect_is_told_to_sign_in_as_a_technician(
    make_coordinator: CoordinatorFactory, events: Events, ios_sim: IosSimulator
) -> None:
    phone = SimIphone.make(5)
    coordinator = make_coordinator(android=False)
    coordinator.set_actor("audrey")
    ios_sim.plug(phone)

    action = final_action(events, key_of(Platform.IOS, phone.udid))

    assert action.action.code is ActionCode.NOT_ALLOWED
    assert "audrey" in action.message


def test_a_missing_adb_server_is_reported_not_fatal(
    make_coordinator: CoordinatorFactory, events: Events, ios_sim: IosSimulator, adb_sim: AdbServerSim
) -> None:
    adb_sim.close()
    make_coordinator()
    status = events.wait_for(lambda e: isinstance(e, DriverStatus) and e.driver is Platform.ANDROID, "adb status")
    assert isinstance(status, DriverStatus)
    assert not status.ok
    phone = SimIphone.make(6)
    ios_sim.plug(phone)
    assert final_action(events, key_of(Platform.IOS, phone.udid)).action.code is ActionCode.READY_TO_GRADE
