"""The iOS driver, through the real pymobiledevice3 client, against the simulated usbmuxd and iPhones."""

from __future__ import annotations

import concurrent.futures
import gc
import plistlib
import ssl
from pathlib import Path
from typing import Any

import pytest

from audit.readings import ErasureStatus, LockState, NistLevel, VerificationResult
from drivers.ios import (
    BadAnswer,
    DeviceGone,
    DeviceTimeout,
    IosEventKind,
    PairingRequired,
    PairingStatus,
    Step,
    UsbmuxdUnavailable,
)
from drivers.ios.parsers import FMIP_LIMITATION
from drivers.sim.ios import Fault, FaultKind, PairingState, SimIphone
from drivers.sim.ios_device import old_battery, sparse_battery
from tests.ios.conftest import BenchFactory, Events, SimFactory

WAIT = 10.0


def test_lists_every_attached_device(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    sim = make_sim(*(SimIphone.make(i) for i in range(3)))
    bench = make_bench()
    assert sorted(device.udid for device in bench.devices()) == sorted(device.udid for device in sim.devices)


def test_honours_a_tcp_usbmuxd_address(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    sim = make_sim(SimIphone.make(0), tcp=True)
    assert sim.address.startswith("127.0.0.1:")
    assert [device.udid for device in make_bench().devices()] == [sim.devices[0].udid]


@pytest.mark.parametrize("index", range(7), ids=lambda i: SimIphone.make(i).product_type)
def test_identity_matches_the_device(make_sim: SimFactory, make_bench: BenchFactory, index: int) -> None:
    device = SimIphone.make(index)
    make_sim(device)
    identity = make_bench().read_identity(device.udid).result(WAIT)
    assert identity.hardware_id == device.udid
    assert identity.serial == device.serial
    assert identity.imeis == device.imeis
    assert identity.os_version == device.product_version
    assert identity.model_number == device.model_number + device.region
    assert identity.family.value == device.device_class.lower()
    assert identity.storage_bytes is not None
    assert abs(identity.storage_bytes - (device.total_disk_capacity or 0)) < 0.1 * identity.storage_bytes
    assert identity.model != device.product_type  # a marketing name from the catalogue
    assert identity.colour is not None  # every simulated model reports a code the colour table holds


@pytest.mark.parametrize(
    ("product_type", "front", "enclosure", "colour"),
    [
        ("iPhone14,5", "1", "9", "Blue"),
        ("iPhone15,2", "1", "17", "Deep Purple"),
        ("iPhone8,4", "#c8caca", "#d6c8b9", "Gold"),
        ("iPhone14,5", "1", "77", None),  # a code the table does not hold: unknown, not the nearest guess
    ],
    ids=["iphone13-blue", "iphone14pro-deep-purple", "se1-gold-hex", "unknown-code"],
)
def test_colour_from_what_the_device_reports(
    make_sim: SimFactory, make_bench: BenchFactory, product_type: str, front: str, enclosure: str, colour: str | None
) -> None:
    device = SimIphone.make(0, product_type=product_type, front_colour=front, enclosure_colour=enclosure)
    make_sim(device)
    assert make_bench().read_identity(device.udid).result(WAIT).colour == colour


@pytest.mark.parametrize(
    ("overrides", "source"),
    [
        ({}, "IOPMPowerSource (AppleSmartBattery)"),
        (
            {
                "battery": old_battery(),
                "battery_entry": "AppleARMPMUCharger",
                "power_source_class": False,
                "product_type": "iPhone9,3",
            },
            "AppleARMPMUCharger",
        ),
    ],
    ids=["smart-battery", "armpmu-charger"],
)
def test_battery_matches_the_registry(
    make_sim: SimFactory, make_bench: BenchFactory, overrides: dict[str, object], source: str
) -> None:
    device = SimIphone.make(3, **overrides)
    make_sim(device)
    reading = make_bench().read_battery(device.udid).result(WAIT)
    registry = device.battery or {}
    assert reading is not None
    assert reading.design_capacity == registry["DesignCapacity"]
    expected_full = registry.get("NominalChargeCapacity", registry["AppleRawMaxCapacity"])
    assert reading.full_charge_capacity == expected_full
    assert reading.cycle_count == registry["CycleCount"]
    assert reading.soh_percent == round(100 * expected_full / registry["DesignCapacity"], 1)
    assert source in reading.source


def test_missing_battery_keys_read_unknown_not_full(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(0, battery=sparse_battery())
    make_sim(device)
    reading = make_bench().read_battery(device.udid).result(WAIT)
    assert reading is not None
    assert reading.soh_percent is None
    assert reading.cycle_count is None
    assert ("MaxCapacity", "100") in reading.raw  # the percentage was seen and deliberately not used


@pytest.mark.parametrize(
    ("overrides", "icloud", "mdm", "evidence"),
    [
        ({}, LockState.OFF, LockState.OFF, "on an activated device"),
        ({"fmip_associated": True}, LockState.ON, LockState.OFF, "IsAssociated = true"),
        (
            {"activation_state": "Unactivated", "fmip_associated": False, "activation_lock": True},
            LockState.UNKNOWN,
            LockState.OFF,
            FMIP_LIMITATION,
        ),
        ({"fmip_associated": None}, LockState.UNKNOWN, LockState.OFF, "did not report"),
        ({"supervised": True}, LockState.OFF, LockState.ON, "on an activated device"),
        (
            {"cloud_configuration": {"IsMDMUnremovable": True, "OrganizationName": "ACME"}},
            LockState.OFF,
            LockState.ON,
            "on an activated device",
        ),
    ],
    ids=["clear", "find-my-on", "setup-assistant", "fmip-missing", "supervised", "mdm-enrolled"],
)
def test_locks(
    make_sim: SimFactory,
    make_bench: BenchFactory,
    overrides: dict[str, object],
    icloud: LockState,
    mdm: LockState,
    evidence: str,
) -> None:
    device = SimIphone.make(1, **overrides)
    make_sim(device)
    locks = make_bench().read_locks(device.udid).result(WAIT)
    assert locks.icloud.state is icloud
    assert evidence in locks.icloud.evidence
    assert locks.mdm.state is mdm
    assert locks.google_frp.state is LockState.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (PairingState.PAIRED, PairingStatus.PAIRED),
        (PairingState.WILL_TRUST, PairingStatus.PAIRED),
        (PairingState.TRUST_PENDING, PairingStatus.WAITING_FOR_TRUST),
        (PairingState.USER_DENIED, PairingStatus.USER_DENIED),
        (PairingState.PASSCODE_LOCKED, PairingStatus.PASSCODE_LOCKED),
    ],
    ids=lambda value: str(value).replace(" ", "-"),
)
def test_pairing_states(
    make_sim: SimFactory, make_bench: BenchFactory, state: PairingState, status: PairingStatus
) -> None:
    device = SimIphone.make(2, pairing=state)
    make_sim(device)
    bench = make_bench()
    inspection = bench.inspect(device.udid).result(WAIT)
    assert inspection.pairing is status
    assert bench.pairing_status(device.udid) is status
    if status is PairingStatus.PAIRED:
        assert inspection.complete
    else:
        assert inspection.identity is None
        (failure,) = inspection.errors
        assert isinstance(failure.error, PairingRequired)
        assert failure.error.status is status
        assert status.advice in str(failure.error)


def test_new_pair_record_is_kept_in_the_station_data_dir(
    make_sim: SimFactory, make_bench: BenchFactory, pair_dir: Path, tmp_path: Path
) -> None:
    device = SimIphone.make(0, pairing=PairingState.WILL_TRUST)
    make_sim(device)
    make_bench().read_identity(device.udid).result(WAIT)
    record = plistlib.loads((pair_dir / f"{device.udid}.plist").read_bytes())
    assert record["HostID"] in device.trusted_hosts
    assert not (tmp_path / "home" / ".pymobiledevice3").exists()


def test_erase(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(0, fmip_associated=False)
    make_sim(device)
    bench = make_bench()
    outcome = bench.erase(device.udid).result(WAIT * 2)
    assert outcome.method == "Apple erase all content and settings"
    assert outcome.nist_level is NistLevel.PURGE
    assert outcome.status is ErasureStatus.ERASED
    assert outcome.verification_result is VerificationResult.PASSED
    assert outcome.started_at <= outcome.finished_at
    assert device.erased == 1
    assert device.activation_state == "Unactivated"
    after = bench.inspect(device.udid).result(WAIT)  # the erased device no longer trusts the station
    assert after.pairing is PairingStatus.WAITING_FOR_TRUST


def test_erase_that_never_answers_is_recorded_as_failed(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(0, faults=[Fault("EraseDevice", FaultKind.SILENT)])
    make_sim(device)
    outcome = make_bench(step_timeout=0.5).erase(device.udid).result(WAIT)
    assert outcome.status is ErasureStatus.FAILED
    assert "did not answer" in outcome.errors[0]
    assert device.erased == 0


def test_erase_needs_pairing(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(0, pairing=PairingState.TRUST_PENDING)
    make_sim(device)
    with pytest.raises(PairingRequired):
        make_bench().erase(device.udid).result(WAIT)
    assert device.erased == 0


def test_restart_and_shutdown(make_sim: SimFactory, make_bench: BenchFactory, events: Events) -> None:
    first, second = SimIphone.make(0), SimIphone.make(1)
    sim = make_sim(first, second)
    bench = make_bench(on_event=events)
    bench.restart(first.udid).result(WAIT)
    events.wait_for(IosEventKind.DETACHED, first.udid)
    events.wait_for(IosEventKind.ATTACHED, first.udid)
    assert first.restarted == 1
    bench.shutdown(second.udid).result(WAIT)
    events.wait_for(IosEventKind.DETACHED, second.udid)
    assert second.shut_down
    assert sim.attached() == [first.udid]


def test_attach_and_detach_events(make_sim: SimFactory, make_bench: BenchFactory, events: Events) -> None:
    first = SimIphone.make(0)
    sim = make_sim(first)
    make_bench(on_event=events)
    events.wait_for(IosEventKind.ATTACHED, first.udid)
    second = SimIphone.make(5)
    sim.plug(second)
    events.wait_for(IosEventKind.ATTACHED, second.udid)
    sim.unplug(first)
    events.wait_for(IosEventKind.DETACHED, first.udid)


def test_nothing_is_kept_for_a_device_gone(make_sim: SimFactory, make_bench: BenchFactory, events: Events) -> None:
    # A bench runs all day: per-device state (pairing status, step lock) must leave with the device.
    device = SimIphone.make(0)
    sim = make_sim(device)
    bench = make_bench(on_event=events)
    bench.inspect(device.udid).result(WAIT)
    assert bench.pairing_status(device.udid) is PairingStatus.PAIRED
    sim.unplug(device)
    events.wait_for(IosEventKind.DETACHED, device.udid)
    assert bench.pairing_status(device.udid) is PairingStatus.UNKNOWN
    gc.collect()
    assert device.udid not in bench._pairing
    assert device.udid not in bench._device_locks


# faults ---------------------------------------------------------------------------------------------------------


def _inspect_all(bench: BenchFactory, *udids: str, **options: object) -> dict[str, object]:
    driver = bench(**options)
    futures = {udid: driver.inspect(udid) for udid in udids}
    concurrent.futures.wait(futures.values(), WAIT)
    return {udid: future.result() for udid, future in futures.items()}


@pytest.mark.parametrize(
    ("fault", "error", "kept", "lost"),
    [
        (Fault("IORegistry", FaultKind.UNPLUG), DeviceGone, (Step.IDENTITY,), (Step.BATTERY, Step.LOCKS)),
        (Fault("IORegistry", FaultKind.GARBAGE), BadAnswer, (Step.IDENTITY, Step.LOCKS), (Step.BATTERY,)),
        (Fault("IORegistry", FaultKind.TRUNCATED), BadAnswer, (Step.IDENTITY, Step.LOCKS), (Step.BATTERY,)),
        (Fault("IORegistry", FaultKind.SILENT), DeviceTimeout, (Step.IDENTITY, Step.LOCKS), (Step.BATTERY,)),
        (Fault("GetValue:com.apple.fmip", FaultKind.GARBAGE), BadAnswer, (Step.IDENTITY, Step.BATTERY), (Step.LOCKS,)),
        (
            Fault("GetValue:com.apple.fmip", FaultKind.TRUNCATED),
            BadAnswer,
            (Step.IDENTITY, Step.BATTERY),
            (Step.LOCKS,),
        ),
        (Fault("GetValue:com.apple.fmip", FaultKind.UNPLUG), DeviceGone, (Step.IDENTITY, Step.BATTERY), (Step.LOCKS,)),
        (
            Fault("GetValue:com.apple.disk_usage", FaultKind.SILENT),
            DeviceTimeout,
            (Step.BATTERY, Step.LOCKS),
            (Step.IDENTITY,),
        ),
    ],
    ids=[
        "unplug-mid-battery",
        "garbage-battery",
        "truncated-battery",
        "silent-battery",
        "garbage-fmip",
        "truncated-fmip",
        "unplug-mid-locks",
        "silent-identity",
    ],
)
def test_a_fault_ends_that_step_only(
    make_sim: SimFactory,
    make_bench: BenchFactory,
    fault: Fault,
    error: type[Exception],
    kept: tuple[Step, ...],
    lost: tuple[Step, ...],
) -> None:
    faulty = SimIphone.make(0, faults=[fault])
    healthy = [SimIphone.make(i) for i in (1, 2)]
    make_sim(faulty, *healthy)
    results = _inspect_all(make_bench, faulty.udid, *(d.udid for d in healthy), step_timeout=1.0)
    inspection = results[faulty.udid]
    assert inspection.errors  # type: ignore[attr-defined]
    assert isinstance(inspection.errors[0].error, error)  # type: ignore[attr-defined]
    assert inspection.errors[0].error.udid == faulty.udid  # type: ignore[attr-defined]
    for step in kept:
        assert getattr(inspection, step.value) is not None, step
    for step in lost:
        assert getattr(inspection, step.value) is None, step
    for device in healthy:
        assert results[device.udid].complete  # type: ignore[attr-defined]


def test_usbmuxd_missing(make_bench: BenchFactory) -> None:
    bench = make_bench()
    with pytest.raises(UsbmuxdUnavailable):
        bench.devices()
    inspection = bench.inspect("00008110-0000000000000001").result(WAIT)
    assert inspection.interrupted
    assert isinstance(inspection.errors[0].error, UsbmuxdUnavailable)


def test_usbmuxd_restarted(make_sim: SimFactory, make_bench: BenchFactory, events: Events) -> None:
    device = SimIphone.make(0)
    sim = make_sim(device)
    bench = make_bench(on_event=events)
    events.wait_for(IosEventKind.ATTACHED, device.udid)
    assert bench.inspect(device.udid).result(WAIT).complete
    sim.restart()
    events.wait_for(IosEventKind.USBMUXD_LOST)
    events.wait_for(IosEventKind.DETACHED, device.udid)
    events.wait_for(IosEventKind.USBMUXD_BACK)
    events.wait_for(IosEventKind.ATTACHED, device.udid)
    assert bench.inspect(device.udid).result(WAIT).complete  # the dropped link is re-made


def test_replug_resumes(make_sim: SimFactory, make_bench: BenchFactory) -> None:
    device = SimIphone.make(0, faults=[Fault("IORegistry", FaultKind.UNPLUG, times=1)])
    sim = make_sim(device)
    bench = make_bench()
    first = bench.inspect(device.udid).result(WAIT)
    assert first.interrupted
    assert first.identity is not None
    sim.plug(device)
    second = bench.inspect(device.udid).result(WAIT)
    assert second.complete
    assert second.identity == first.identity


@pytest.mark.parametrize("state", [PairingState.PAIRED, PairingState.WILL_TRUST], ids=["paired", "pairs-during-pass"])
def test_one_tls_context_per_pair_record(
    make_sim: SimFactory, make_bench: BenchFactory, monkeypatch: pytest.MonkeyPatch, state: PairingState
) -> None:
    """The lockdown session and every service of a device are secured with one client context (the pair record's
    key parsed once), each connection with its own full handshake."""
    loaded: list[ssl.SSLContext] = []
    handshakes: list[ssl.SSLContext] = []
    load_cert_chain, wrap_bio = ssl.SSLContext.load_cert_chain, ssl.SSLContext.wrap_bio

    def spy_load(context: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        if context.protocol is ssl.PROTOCOL_TLS_CLIENT:  # the simulated devices' server contexts are not counted
            loaded.append(context)
        load_cert_chain(context, *args, **kwargs)

    def spy_wrap(context: ssl.SSLContext, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        if not kwargs.get("server_side", False):
            handshakes.append(context)
        return wrap_bio(context, *args, **kwargs)

    device = SimIphone.make(0, pairing=state)
    make_sim(device)
    bench = make_bench()
    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy_load)
    monkeypatch.setattr(ssl.SSLContext, "wrap_bio", spy_wrap)
    assert bench.inspect(device.udid).result(WAIT).complete
    assert len(handshakes) == 3  # lockdown's session, the diagnostics relay, the profile service
    assert len(loaded) == 1
    assert all(context is loaded[0] for context in handshakes)
