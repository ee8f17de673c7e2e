"""A demo station: a fresh SQLite file of people and devices walked through the real services.

``refurb-station run --simulate`` (``make demo``) opens the window on it, signed in as the technician, so that a
newcomer sees every kind of device state without a bench. Everything here goes through ``audit.services``,
exactly as the bench would: the audit chain of the demo is as real as any other.

:func:`simulated_bench` plugs simulated phones into the in-process iOS and Android simulators (the real drivers and
the real bench coordinator run on them): healthy ones, an iPhone waiting for Trust, a phone with a Google account,
one with a worn battery, one whose USB debugging prompt is waiting; a laptop agent on the simulated ThinkPad (the
real laptop readers on its sysfs tree and captured tool outputs, attached with ``attach_agent``); and a barcode
scanner in serial mode on a pty (the real pyserial driver reads it), which scans the listed iPhone's IMEI once the
window is up.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.station import Station, bootstrap
from audit import services
from audit.certificates import Signer
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
    TestOutcome,
    VerificationResult,
)
from audit.rules.functional import load_test_plan

if TYPE_CHECKING:
    from app.commands.agent import Machine

DEMO_FILE = "demo.sqlite3"
STATION = "demo-bench"

ADMIN, TECHNICIAN, AUDITOR, WAREHOUSE = "admin", "theo", "audrey", "wendy"
USERS = ((ADMIN, "admin"), (TECHNICIAN, "technician"), (AUDITOR, "auditor"), (WAREHOUSE, "warehouse"))

_OFF = LockCheck(LockState.OFF, "checked on the device")
_NA = LockCheck(LockState.NOT_APPLICABLE, "")


@dataclasses.dataclass(frozen=True, slots=True)
class DemoDevice:
    identity: DeviceIdentity
    expected_state: str
    design_mah: float
    soh: float = 92.0
    locks: LockStatus | None = None
    failed_test: str = ""
    failure_note: str = ""
    defects: tuple[CosmeticDefect, ...] = ()

    @property
    def imei(self) -> str:
        return self.identity.imeis[0]


def _iphone(model: str, number: str, imei: str, serial: str, colour: str, gb: int) -> DeviceIdentity:
    return DeviceIdentity(
        family=DeviceFamily.IPHONE,
        make="Apple",
        model=model,
        model_number=number,
        serial=serial,
        imeis=(imei,),
        os_name="iOS",
        os_version="17.5",
        storage_bytes=gb * 1_000_000_000,
        colour=colour,
    )


def _android(make: str, model: str, number: str, imei: str, serial: str, colour: str, gb: int) -> DeviceIdentity:
    return DeviceIdentity(
        family=DeviceFamily.ANDROID,
        make=make,
        model=model,
        model_number=number,
        serial=serial,
        imeis=(imei,),
        os_name="Android",
        os_version="14",
        storage_bytes=gb * 1_000_000_000,
        colour=colour,
    )


def _android_locks(samsung: bool) -> LockStatus:
    return LockStatus(source="adb", icloud=_NA, google_frp=_OFF, samsung=_OFF if samsung else _NA, mdm=_OFF)


DEVICES: tuple[DemoDevice, ...] = (
    DemoDevice(_iphone("iPhone 13", "MLPF3", "353911101234566", "G6TZK1ABN72J", "Midnight", 128), "listed", 3227),
    DemoDevice(
        _android("Samsung", "Galaxy S21", "SM-G991B", "353286123456780", "R58R12ABCDE", "Phantom Grey", 128),
        "certified",
        4000,
        soh=90.0,
        locks=_android_locks(samsung=True),
    ),
    DemoDevice(
        _iphone("iPhone 11", "MWLT2", "354678112345678", "F17ZN3XYN72K", "Black", 64),
        "quarantined",
        3110,
        locks=LockStatus(
            source="lockdown",
            icloud=LockCheck(LockState.ON, "Find My iPhone on (activation lock)"),
            google_frp=_NA,
            samsung=_NA,
            mdm=_OFF,
        ),
    ),
    DemoDevice(
        _android("Google", "Pixel 7", "GVU6C", "358824109876541", "29011FDH2000AB", "Snow", 128),
        "repair",
        4355,
        soh=82.0,
        locks=_android_locks(samsung=False),
    ),
    DemoDevice(
        _android("Samsung", "Galaxy A52", "SM-A525F", "352037123456705", "R58NB2XYZ01", "Awesome Blue", 128),
        "parts",
        4500,
        locks=_android_locks(samsung=True),
        failed_test="microphones",
        failure_note="bottom microphone records silence",
    ),
    DemoDevice(
        _iphone("iPhone SE (2nd generation)", "MX9R2", "359175654321097", "F4GDL0PQPLJN", "White", 64),
        "graded",
        1821,
        soh=88.0,
        defects=(CosmeticDefect(DefectZone.BACK, DefectKind.SCRATCH, DefectSeverity.LIGHT, "near the camera"),),
    ),
)


@dataclasses.dataclass(frozen=True, slots=True)
class DemoSeed:
    technician: str
    device_ids: dict[str, int]  # IMEI -> device id


def demo_database_path(data_dir: Path) -> Path:
    return data_dir / DEMO_FILE


def create_demo_station(data_dir: Path) -> Station:
    """A station on a brand-new demo database (any previous demo file is deleted first)."""
    path = demo_database_path(data_dir)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    station = bootstrap(f"sqlite:///{path}")
    seed(station)
    return station


def seed(station: Station) -> DemoSeed:
    """Add the demo people and walk each demo device to its state through the services."""
    for name, role in USERS:
        with station.uow() as uow:
            services.add_user(uow, None if name == ADMIN else ADMIN, name, role)
    signer = station.signer()
    ids = {device.imei: _walk(station, device, signer) for device in DEVICES}
    return DemoSeed(technician=TECHNICIAN, device_ids=ids)


def _walk(station: Station, demo: DemoDevice, signer: Signer) -> int:
    family = demo.identity.family
    with station.uow() as uow:
        device_id = services.register_device(uow, TECHNICIAN, demo.identity)
    with station.uow() as uow:
        inspection = services.start_inspection(uow, TECHNICIAN, device_id, station=STATION)
    locks = demo.locks or LockStatus(source="lockdown", icloud=_OFF, google_frp=_NA, samsung=_NA, mdm=_OFF)
    with station.uow() as uow:
        services.record_reading(uow, TECHNICIAN, inspection, locks)
    if demo.expected_state == "quarantined":
        return device_id  # a lock found on quarantines the device at once: the pass ends here
    readings: list[BatteryReading | FunctionalResult | CosmeticDefect] = [
        _battery(demo, family),
        *_functional(demo, family),
        *demo.defects,
    ]
    for reading in readings:
        with station.uow() as uow:
            services.record_reading(uow, TECHNICIAN, inspection, reading)
    with station.uow() as uow:
        services.finish_inspection(uow, TECHNICIAN, inspection)
    if demo.expected_state in ("repair", "parts"):
        return device_id
    with station.uow() as uow:
        services.grade_device(uow, TECHNICIAN, device_id, genuine_parts=True)
    if demo.expected_state == "graded":
        return device_id
    with station.uow() as uow:
        services.record_erasure(uow, TECHNICIAN, device_id, _erasure(family))
    with station.uow() as uow:
        services.issue_certificate(uow, TECHNICIAN, device_id, signer, station=STATION)
    if demo.expected_state == "certified":
        return device_id
    with station.uow() as uow:
        services.approve(uow, AUDITOR, device_id, "spot check passed")
    with station.uow() as uow:
        services.hand_off(uow, WAREHOUSE, device_id)
    return device_id


def _battery(demo: DemoDevice, family: DeviceFamily) -> BatteryReading:
    source = "AppleSmartBattery" if family is DeviceFamily.IPHONE else "dumpsys battery"
    return BatteryReading(
        source=source,
        design_capacity=demo.design_mah,
        full_charge_capacity=round(demo.design_mah * demo.soh / 100, 1),
        unit=CapacityUnit.MAH,
        cycle_count=214 if demo.soh > 85 else 611,
        state_of_health=demo.soh,
    )


def _functional(demo: DemoDevice, family: DeviceFamily) -> list[FunctionalResult]:
    results = []
    for step in load_test_plan(family).steps:
        measured_by = MeasuredBy.AUTOMATIC if step.automatic else MeasuredBy.MANUAL
        if step.test_id == demo.failed_test:
            results.append(FunctionalResult(step.test_id, TestOutcome.FAIL, measured_by, demo.failure_note))
        else:
            results.append(FunctionalResult(step.test_id, TestOutcome.PASS, measured_by))
    return results


def _erasure(family: DeviceFamily) -> ErasureOutcome:
    end = datetime.now(UTC)
    method = (
        "Apple erase all content and settings"
        if family is DeviceFamily.IPHONE
        else "Android factory reset (file-based encryption keys evicted)"
    )
    return ErasureOutcome(
        method=method,
        nist_level=NistLevel.PURGE,
        status=ErasureStatus.ERASED,
        started_at=end - timedelta(minutes=4),
        finished_at=end,
        tool="refurb-station",
        tool_version="0.1.0",
        verification="device report",
        verification_result=VerificationResult.PASSED,
    )


# --- the simulated bench ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class SimulatedBench:
    """Where the in-process simulators listen: hand these to the bench coordinator's config."""

    usbmux_address: str
    adb_host: str
    adb_port: int
    scanner_port: str  # the simulated serial barcode scanner's tty
    scan: Callable[[str], None]  # pull its trigger on a code
    laptop: Machine | None = None  # the simulated laptop the demo's agent reads (attach it as LAPTOP_AGENT)


LAPTOP_AGENT = "demo-thinkpad"  # the demo laptop agent's name on the bench (its tile's key is "laptop:demo-thinkpad")


DEMO_SCAN = DEVICES[0].imei  # scanned by the demo's serial scanner once the window is up: the lookup shows it
DEMO_SCAN_AFTER_MS = 2500


DEMO_ANSWER_DELAY = 0.15  # seconds a simulated device "thinks" per answer, so that the progress bars can be seen


@contextlib.contextmanager
def simulated_bench() -> Iterator[SimulatedBench]:
    """Start the iOS and Android simulators with the demo's phones plugged in, the simulated laptop for the laptop
    agent, and the serial barcode scanner; everything closes on exit."""
    from app.commands.agent import open_machine
    from drivers.sim.android import AdbServerSim
    from drivers.sim.android_phone import SimPhone, luhn_complete
    from drivers.sim.ios import IosSimulator, PairingState, SimIphone
    from drivers.sim.ios_device import modern_battery
    from drivers.sim.scanner import SimulatedScanner

    iphones = [
        SimIphone.make(0, answer_delay=DEMO_ANSWER_DELAY),
        SimIphone.make(1, pairing=PairingState.TRUST_PENDING, answer_delay=DEMO_ANSWER_DELAY),
        SimIphone.make(
            7, battery=modern_battery(design=2815, nominal=2160, cycles=912), answer_delay=DEMO_ANSWER_DELAY
        ),
    ]
    androids = [
        SimPhone(serial="3A1DEMO0001", profile="pixel", imei=luhn_complete("35882714900001")),
        SimPhone(
            serial="R5CRDEMO0002",
            profile="samsung",
            imei=luhn_complete("35411812900002"),
            accounts=[("jeanne.dupont@gmail.com", "com.google")],
        ),
        SimPhone(serial="R5CRDEMO0003", profile="samsung", imei=luhn_complete("35411812900003"), samsung_asoc=81),
        SimPhone(serial="3A1DEMO0004", profile="pixel", imei=luhn_complete("35882714900004"), state="unauthorized"),
    ]
    with (
        IosSimulator(iphones) as ios,
        AdbServerSim(androids) as adb,
        SimulatedScanner() as scanner,
        open_machine(simulate=True) as laptop,
    ):
        yield SimulatedBench(ios.address, "127.0.0.1", adb.port, scanner.port, scanner.scan, laptop)
