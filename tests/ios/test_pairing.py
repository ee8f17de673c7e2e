"""Pairing needs a person: the driver waits for the Trust tap or the unlock, says so, and carries on by itself.

The real pymobiledevice3 client pairs with the simulated iPhone; the test plays the technician (tap Trust, tap
Don't Trust, unlock) from its own thread while the driver waits.
"""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from drivers.ios import IosEventKind, PairingRequired, PairingStatus, Step
from drivers.sim.ios import PairingState, SimIphone
from drivers.sim.ios_lockdown import DIAGNOSTICS
from tests.ios.conftest import BenchFactory, Events, SimFactory

WAIT = 10.0  # an upper bound for something that should happen, never a measured figure


def _status_event(events: Events, udid: str, status: PairingStatus) -> None:
    events.wait_for(IosEventKind.PAIRING, udid, status.value)


def test_waits_for_trust_then_inspects_by_itself(
    make_sim: SimFactory, make_bench: BenchFactory, events: Events, pair_dir: Path
) -> None:
    device = SimIphone.make(0, pairing=PairingState.TRUST_PENDING)
    make_sim(device)
    bench = make_bench(on_event=events, wait_for_person=WAIT)
    pending = bench.inspect(device.udid)
    _status_event(events, device.udid, PairingStatus.WAITING_FOR_TRUST)
    assert bench.pairing_status(device.udid) is PairingStatus.WAITING_FOR_TRUST
    assert not pending.done()
    device.tap_trust()
    inspection = pending.result(WAIT)
    assert inspection.complete, inspection.errors
    assert inspection.pairing is PairingStatus.PAIRED
    assert inspection.identity is not None
    assert inspection.identity.serial == device.serial
    record = plistlib.loads((pair_dir / f"{device.udid}.plist").read_bytes())
    assert record["HostID"] in device.trusted_hosts


def test_keeps_asking_in_the_background_when_steps_do_not_wait(
    make_sim: SimFactory, make_bench: BenchFactory, events: Events
) -> None:
    """The bench supervisor's way: each step reports at once and is tried again; the Trust wait goes on meanwhile."""
    device = SimIphone.make(1, pairing=PairingState.TRUST_PENDING)
    make_sim(device)
    bench = make_bench(on_event=events)
    first = bench.inspect(device.udid).result(WAIT)
    assert first.pairing is PairingStatus.WAITING_FOR_TRUST
    assert isinstance(first.errors[0].error, PairingRequired)
    device.tap_trust()
    _status_event(events, device.udid, PairingStatus.PAIRED)  # paired with no step asking
    assert bench.inspect(device.udid).result(WAIT).complete


def test_dont_trust_ends_the_wait(make_sim: SimFactory, make_bench: BenchFactory, events: Events) -> None:
    device = SimIphone.make(2, pairing=PairingState.TRUST_PENDING)
    make_sim(device)
    bench = make_bench(on_event=events, wait_for_person=WAIT)
    pending = bench.inspect(device.udid)
    _status_event(events, device.udid, PairingStatus.WAITING_FOR_TRUST)
    device.tap_dont_trust()
    inspection = pending.result(WAIT)
    assert inspection.pairing is PairingStatus.USER_DENIED
    (failure,) = inspection.errors
    assert failure.step is Step.IDENTITY
    assert isinstance(failure.error, PairingRequired)
    assert failure.error.status is PairingStatus.USER_DENIED
    assert PairingStatus.USER_DENIED.advice in str(failure.error)
    assert not device.trusted_hosts


def test_locked_device_is_unlocked_then_trusted(make_sim: SimFactory, make_bench: BenchFactory, events: Events) -> None:
    device = SimIphone.make(3, pairing=PairingState.PASSCODE_LOCKED)
    make_sim(device)
    bench = make_bench(on_event=events, wait_for_person=WAIT)
    pending = bench.inspect(device.udid)
    _status_event(events, device.udid, PairingStatus.PASSCODE_LOCKED)
    device.unlock()  # the Trust dialog comes up once the screen is unlocked
    _status_event(events, device.udid, PairingStatus.WAITING_FOR_TRUST)
    device.tap_trust()
    assert pending.result(WAIT).complete


def test_nobody_taps_trust(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(4, pairing=PairingState.TRUST_PENDING)
    make_sim(device)
    bench = make_bench(wait_for_person=0.3, trust_timeout=0.3)
    inspection = bench.inspect(device.udid).result(WAIT)
    assert inspection.pairing is PairingStatus.WAITING_FOR_TRUST
    assert isinstance(inspection.errors[0].error, PairingRequired)
    assert inspection.identity is None
    assert not device.trusted_hosts


@pytest.fixture
def locked_after_trust() -> SimIphone:
    """Paired, but the screen is locked, and the diagnostics relay (the battery) waits for the passcode."""
    return SimIphone.make(5, screen_locked=True, services_needing_unlock=(DIAGNOSTICS,))


def test_locked_after_trust_says_unlock(
    make_sim: SimFactory, make_bench: BenchFactory, locked_after_trust: SimIphone
) -> None:
    device = locked_after_trust
    make_sim(device)
    bench = make_bench()
    inspection = bench.inspect(device.udid).result(WAIT)
    assert inspection.identity is not None
    assert inspection.locks is not None
    assert inspection.battery is None
    (failure,) = inspection.errors
    assert failure.step is Step.BATTERY
    assert isinstance(failure.error, PairingRequired)
    assert failure.error.status is PairingStatus.PASSCODE_LOCKED
    assert "unlock" in str(failure.error)
    assert bench.pairing_status(device.udid) is PairingStatus.PASSCODE_LOCKED
    device.unlock()
    assert bench.read_battery(device.udid).result(WAIT) is not None
    assert bench.pairing_status(device.udid) is PairingStatus.PAIRED


def test_locked_after_trust_waits_for_the_unlock(
    make_sim: SimFactory, make_bench: BenchFactory, events: Events, locked_after_trust: SimIphone
) -> None:
    device = locked_after_trust
    make_sim(device)
    bench = make_bench(on_event=events, wait_for_person=WAIT)
    pending = bench.inspect(device.udid)
    _status_event(events, device.udid, PairingStatus.PASSCODE_LOCKED)
    assert not pending.done()
    device.unlock()
    inspection = pending.result(WAIT)
    assert inspection.complete, inspection.errors
    assert inspection.battery is not None
    assert inspection.battery.design_capacity == (device.battery or {})["DesignCapacity"]


def test_trust_waits_of_several_devices_do_not_block_each_other(
    make_sim: SimFactory, make_bench: BenchFactory, events: Events
) -> None:
    waiting = SimIphone.make(6, pairing=PairingState.TRUST_PENDING)
    ready = SimIphone.make(7)
    make_sim(waiting, ready)
    bench = make_bench(on_event=events, wait_for_person=WAIT)
    pending = bench.inspect(waiting.udid)
    _status_event(events, waiting.udid, PairingStatus.WAITING_FOR_TRUST)
    assert bench.inspect(ready.udid).result(WAIT).complete  # while the other one still waits for its Trust tap
    assert not pending.done()
    waiting.tap_trust()
    assert pending.result(WAIT).complete
