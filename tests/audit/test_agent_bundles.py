"""Laptop-agent bundles into the records, on SQLite and PostgreSQL: once, from trusted keys, through the lifecycle."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from audit import services
from audit.certificates import Signer, load_public_key, verify_certificate
from audit.chain import canonical_json
from audit.errors import InvalidInput, PermissionDenied, Refused
from audit.models import (
    AgentBundle,
    AuditEvent,
    BatteryRecord,
    CertificateRecord,
    Device,
    ErasureRecord,
    FunctionalRecord,
    ImmutableRecordError,
    Inspection,
    LockRecord,
    StationKey,
)
from audit.readings import (
    DeviceFamily,
    ErasureStatus,
    FunctionalResult,
    LockCheck,
    LockState,
    LockStatus,
    MeasuredBy,
    TestOutcome,
)
from audit.rules.functional import load_test_plan
from tests.audit.bench_flow import UowFactory, make_users

AGENT_STATION = "agent-usb-1"
SERIAL = "PF1ABCDE"


def nvme(health: str = "good", **counts: Any) -> dict[str, Any]:
    return {
        "device": "/dev/nvme0n1",
        "model": "SAMSUNG MZVLB512HBJQ-000L7",
        "serial": "S4ENNX0N123456",
        "media_type": "nvme",
        "health": health,
        "reasons": ["no problem reported"] if health == "good" else [f"{health} (smartctl)"],
        "reallocated_sectors": None,
        "pending_sectors": None,
        "media_errors": counts.get("media_errors", 0),
        "transport": "nvme",
        "size_bytes": 512_110_190_592,
    }


BOOT_STICK = {"device": "/dev/sda", "health": "unknown", "reasons": ["unknown USB bridge"], "transport": "usb"}


def wipe(status: str = "erased") -> dict[str, Any]:
    end = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    start = end - timedelta(minutes=40)
    ok = status == "erased"
    media = {
        "path": "/dev/nvme0n1",
        "kind": "nvme",
        "size_bytes": 512_110_190_592,
        "manufacturer": None,
        "model": "SAMSUNG MZVLB512HBJQ-000L7",
        "serial": "S4ENNX0N123456",
        "bus": "NVMe",
    }
    return {
        "report": {
            "media": media,
            "nist_level": "clear",
            "method": "overwrite zeros, 1 pass",
            "status": status,
            "rounds": 1,
            "bytes_written": 512_110_190_592,
            "write_rate": 2.1e9,
            "verify_errors": 0 if ok else 3,
            "hpa_dco": "none",
        },
        "outcome": {
            "method": "overwrite zeros, 1 pass",
            "nist_level": "clear",
            "status": status,
            "started_at": start.isoformat(),
            "finished_at": end.isoformat(),
            "tool": "refurb-station erase",
            "tool_version": "0.1.0",
            "verification": "last pass",
            "verification_result": "passed" if ok else "failed",
            "media": "nvme, SAMSUNG MZVLB512HBJQ-000L7, S/N S4ENNX0N123456",
            "bytes_erased": 512_110_190_592 if ok else 0,
            "errors": [] if ok else ["verify: 3 blocks differ"],
        },
    }


def content(
    *,
    soh_full: float = 52_000.0,
    disks: list[dict[str, Any]] | None = None,
    erasures: list[dict[str, Any]] | None = None,
    locks: dict[str, Any] | None = None,
    batteries: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    inspection: dict[str, Any] = {
        "inspected_at": "2026-11-20T09:40:00+00:00",
        "simulated": False,
        "inventory": {
            "make": "LENOVO",
            "model": "ThinkPad T480s",
            "model_number": "20L7S02M00",
            "serial": SERIAL,
            "uuid": "4c1a8f2e-2d3b-11b2-a85c-8c3e2a1b4d5f",
            "storage": [
                {"name": "nvme0n1", "size_bytes": 512_110_190_592, "transport": "nvme"},
                {"name": "sda", "size_bytes": 15_376_318_464, "transport": "usb"},
            ],
            "unknown": {},
        },
        "batteries": [
            {
                "source": "linux-sysfs:BAT0",
                "design_capacity": 57_020.0,
                "full_charge_capacity": soh_full,
                "unit": "mWh",
                "cycle_count": 312,
                "state_of_health": None,
                "raw": [["cycle_count", "312"]],
                "soh_percent": round(100 * soh_full / 57_020, 1),
            }
        ]
        if batteries
        else [],
        "disks": disks if disks is not None else [nvme(), BOOT_STICK],
        "problems": [],
    }
    if locks is not None:
        inspection["locks"] = locks
    return {
        "format": "refurb-station/agent-bundle/1",
        "bundle_id": str(uuid.uuid4()),
        "station": AGENT_STATION,
        "inspection": inspection,
        "erasures": erasures if erasures is not None else [wipe()],
        **extra,
    }


def sign(signer: Signer, bundle: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    return bundle, signer.sign(canonical_json(bundle)), signer.public_pem()


@pytest.fixture
def bench(uow_factory: UowFactory) -> UowFactory:
    make_users(uow_factory)
    return uow_factory


@pytest.fixture
def agent_key(bench: UowFactory) -> Signer:
    signer = Signer.generate()
    with bench() as uow:
        services.register_station_key(uow, "admin", signer.public_pem(), AGENT_STATION)
    return signer


def do_import(bench: UowFactory, signed: tuple[dict[str, Any], str, str], actor: str = "tech") -> services.ImportResult:
    with bench() as uow:
        return services.import_agent_bundle(uow, actor, *signed, station="bench-1")


def count(bench: UowFactory, model: Any) -> int:
    with bench() as uow:
        return int(uow.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


RECORD_TABLES = (
    Device,
    Inspection,
    BatteryRecord,
    LockRecord,
    FunctionalRecord,
    ErasureRecord,
    AgentBundle,
    AuditEvent,
)


def snapshot(bench: UowFactory) -> dict[str, int]:
    return {model.__tablename__: count(bench, model) for model in RECORD_TABLES}


def test_import_records_the_laptop_its_readings_and_keeps_the_erasure_waiting(
    bench: UowFactory, agent_key: Signer
) -> None:
    result = do_import(bench, sign(agent_key, content()))
    assert not result.already_imported
    assert result.device_state == "identified"
    assert result.readings == 4  # battery, the two automatic tests, the lock status
    assert result.erasures_recorded == ()
    assert result.erasures_waiting == 1
    with bench() as uow:
        device = uow.session.get(Device, result.device_id)
        assert device is not None
        assert (device.family, device.make, device.model, device.serial) == (
            "laptop",
            "LENOVO",
            "ThinkPad T480s",
            SERIAL,
        )
        assert device.storage_bytes == 512_110_190_592  # the agent's USB stick is not the laptop's storage
        inspection = uow.session.get(Inspection, result.inspection_id)
        assert inspection is not None
        assert (inspection.station, inspection.status) == ("bench-1", "open")
        battery = uow.session.execute(sa.select(BatteryRecord)).scalar_one()
        assert (battery.soh_percent, battery.cycle_count, battery.verdict) == (91.2, 312, "sellable")
        tests = dict(uow.session.execute(sa.select(FunctionalRecord.test_id, FunctionalRecord.outcome)).all())
        assert tests == {"battery": "pass", "storage_health": "pass"}
        lock = uow.session.execute(sa.select(LockRecord)).scalar_one()
        assert lock.verdict == "unknown"  # the agent did not check them: the bench must
        bundle = uow.session.execute(sa.select(AgentBundle)).scalar_one()
        assert (bundle.device_id, bundle.inspection_id, bundle.erasure_count) == (device.id, inspection.id, 1)
        assert uow.session.execute(sa.select(ErasureRecord)).first() is None
        actions = uow.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.seq)).scalars().all()
        assert actions[-1] == "agent_bundle.imported"


def test_importing_twice_changes_nothing_and_says_so(bench: UowFactory, agent_key: Signer) -> None:
    signed = sign(agent_key, content())
    first = do_import(bench, signed)
    before = snapshot(bench)
    again = do_import(bench, copy.deepcopy(signed))
    assert again.already_imported
    assert (again.device_id, again.inspection_id, again.erasures_waiting) == (first.device_id, first.inspection_id, 1)
    assert "already imported" in again.notes[0]
    assert snapshot(bench) == before


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda b: b["inspection"]["inventory"].update(serial="PF1ABCDX"), "altered after signing"),
        (lambda b: b["erasures"][0]["outcome"].update(status="erased!"), "altered after signing"),
    ],
    ids=["serial", "erasure-status"],
)
def test_a_bundle_altered_after_signing_is_refused(
    bench: UowFactory, agent_key: Signer, tamper: Any, message: str
) -> None:
    bundle, signature, pem = sign(agent_key, content())
    before = snapshot(bench)
    altered = copy.deepcopy(bundle)
    tamper(altered)
    with pytest.raises(Refused, match=message):
        do_import(bench, (altered, signature, pem))
    assert snapshot(bench) == before


def test_same_id_with_other_content_is_refused_as_tampering(bench: UowFactory, agent_key: Signer) -> None:
    bundle = content()
    do_import(bench, sign(agent_key, bundle))
    before = snapshot(bench)
    other = copy.deepcopy(bundle)
    other["erasures"] = [wipe("failed")]
    with pytest.raises(Refused, match=r"already on record with other content.*tampering"):
        do_import(bench, sign(agent_key, other))
    assert snapshot(bench) == before


def test_untrusted_key_is_refused_until_an_admin_registers_it(bench: UowFactory) -> None:
    stranger = Signer.generate()
    signed = sign(stranger, content())
    with pytest.raises(Refused, match=f"signed with key {stranger.fingerprint}, which this database does not trust"):
        do_import(bench, signed)
    assert snapshot(bench)["devices"] == 0
    with bench() as uow:
        assert services.register_station_key(uow, "admin", stranger.public_pem(), AGENT_STATION) == stranger.fingerprint
    assert do_import(bench, signed).readings == 4


def test_a_key_vouches_for_its_own_station_only(bench: UowFactory, agent_key: Signer) -> None:
    with pytest.raises(Refused, match="says it comes from station 'bench-9' but is signed with the key of station"):
        do_import(bench, sign(agent_key, {**content(), "station": "bench-9"}))
    other = Signer.generate()
    with bench() as uow:
        services.register_station_key(uow, "admin", other.public_pem(), "bench-9")
    with bench() as uow, pytest.raises(Refused, match="already registered for station 'bench-9'"):
        services.register_station_key(uow, "admin", other.public_pem(), AGENT_STATION)
    with bench() as uow:  # the same key for the same station again: nothing new
        services.register_station_key(uow, "admin", other.public_pem(), "bench-9")
    assert count(bench, StationKey) == 2


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("tech", True), ("admin", True), ("audrey", False), ("wendy", False), ("nobody", False)],
    ids=["technician", "admin", "auditor", "warehouse", "unknown"],
)
def test_who_may_import(bench: UowFactory, agent_key: Signer, actor: str, allowed: bool) -> None:
    signed = sign(agent_key, content())
    if allowed:
        assert do_import(bench, signed, actor=actor).device_id
    else:
        with pytest.raises(PermissionDenied):
            do_import(bench, signed, actor=actor)


@pytest.mark.parametrize("actor", ["tech", "audrey", "wendy"], ids=["technician", "auditor", "warehouse"])
def test_only_an_admin_trusts_a_key(bench: UowFactory, actor: str) -> None:
    with bench() as uow, pytest.raises(PermissionDenied, match="may not register station keys"):
        services.register_station_key(uow, actor, Signer.generate().public_pem(), AGENT_STATION)


def test_registered_keys_are_append_only(bench: UowFactory, agent_key: Signer) -> None:
    with bench() as uow:
        key = uow.session.execute(sa.select(StationKey)).scalar_one()
        key.station = "elsewhere"
        with pytest.raises(ImmutableRecordError):
            uow.session.flush()


@pytest.mark.parametrize(
    ("pem", "message"),
    [("not a key", "cannot register this key"), (Signer.generate().public_pem(), "invalid station name")],
    ids=["garbage", "no-station"],
)
def test_key_registration_input(bench: UowFactory, pem: str, message: str) -> None:
    with bench() as uow, pytest.raises(InvalidInput, match=message):
        services.register_station_key(uow, "admin", pem, "" if "station" in message else AGENT_STATION)


@pytest.mark.parametrize(
    ("disks", "batteries", "expected"),
    [
        ([nvme("failing"), BOOT_STICK], True, {"battery": "pass", "storage_health": "fail"}),
        ([nvme("warning", media_errors=4)], True, {"battery": "pass", "storage_health": "fail"}),
        ([nvme("unknown")], True, {"battery": "pass"}),
        ([BOOT_STICK], False, {"battery": "fail"}),
    ],
    ids=["failing-disk", "media-errors", "unknown-disk-stays-unknown", "no-battery-no-internal-disk"],
)
def test_automatic_results_say_only_what_was_read(
    bench: UowFactory, agent_key: Signer, disks: list[dict[str, Any]], batteries: bool, expected: dict[str, str]
) -> None:
    do_import(bench, sign(agent_key, content(disks=disks, batteries=batteries)))
    with bench() as uow:
        tests = dict(uow.session.execute(sa.select(FunctionalRecord.test_id, FunctionalRecord.outcome)).all())
    assert tests == expected


def test_a_lock_in_the_bundle_quarantines(bench: UowFactory, agent_key: Signer) -> None:
    locks = {"source": "profiles status", "mdm": {"state": "on", "evidence": "enrolled in Acme MDM"}}
    result = do_import(bench, sign(agent_key, content(locks=locks)))
    assert result.device_state == "quarantined"
    assert "quarantined: locked: mdm" in result.notes
    with bench() as uow, pytest.raises(Refused, match="quarantined: its 1 agent erasure"):
        services.record_agent_erasures(uow, "tech", result.device_id)


def test_unidentifiable_laptop_is_refused(bench: UowFactory, agent_key: Signer) -> None:
    bundle = content()
    bundle["inspection"]["inventory"].update(serial=None, unknown={"serial": "dmidecode needs root"})
    with pytest.raises(InvalidInput, match="serial: dmidecode needs root"):
        do_import(bench, sign(agent_key, bundle))
    assert snapshot(bench)["devices"] == 0


def _finish_at_the_bench(bench: UowFactory, inspection_id: int) -> None:
    """The technician does the manual steps and checks the locks the agent could not."""
    manual = [s.test_id for s in load_test_plan(DeviceFamily.LAPTOP).steps if s.test_id not in ("battery",)]
    readings: list[Any] = [FunctionalResult(t, TestOutcome.PASS, MeasuredBy.MANUAL) for t in manual]
    off = LockCheck(LockState.OFF, "checked at the bench")
    na = LockCheck(LockState.NOT_APPLICABLE, "")
    readings.append(LockStatus(source="bench", icloud=off, google_frp=na, samsung=na, mdm=off))
    for reading in readings:
        with bench() as uow:
            services.record_reading(uow, "tech", inspection_id, reading)
    with bench() as uow:
        assert services.finish_inspection(uow, "tech", inspection_id).state.value == "inspected"


def test_erasures_enter_the_records_once_graded_and_are_certified(bench: UowFactory, agent_key: Signer) -> None:
    result = do_import(bench, sign(agent_key, content(erasures=[wipe("failed"), wipe()], operator="Jo Martin")))
    assert result.inspection_id is not None
    assert result.operator == "Jo Martin"
    with bench() as uow, pytest.raises(Refused, match="identified: its 2 agent erasure"):
        services.record_agent_erasures(uow, "tech", result.device_id)
    _finish_at_the_bench(bench, result.inspection_id)
    with bench() as uow, pytest.raises(PermissionDenied):
        services.record_agent_erasures(uow, "audrey", result.device_id)
    with bench() as uow:  # grading a laptop records its waiting erasure reports at once
        services.grade_device(uow, "tech", result.device_id, genuine_parts=True)
    with bench() as uow:
        assert services.record_agent_erasures(uow, "tech", result.device_id) == ()
        rows = uow.session.execute(sa.select(ErasureRecord).order_by(ErasureRecord.id)).scalars().all()
        assert [r.status for r in rows] == ["failed", "erased"]  # the failure is kept, never hidden
        assert rows[1].data["report"]["media"]["serial"] == "S4ENNX0N123456"
        assert [r.data["report"]["operator"] for r in rows] == ["Jo Martin", "Jo Martin"]  # who ran the agent
        assert rows[1].started_at == datetime(2026, 11, 20, 9, 50, tzinfo=UTC)  # when it happened, not imported
        device = uow.session.get(Device, result.device_id)
        assert device is not None
        assert device.state == "erased"
    station_key = Signer.generate()
    with bench() as uow:
        certificate_id = services.issue_certificate(uow, "tech", result.device_id, station_key, station="bench-1")
    with bench() as uow:
        certificate = uow.session.get(CertificateRecord, certificate_id)
        assert certificate is not None
        payload, signature = certificate.payload, certificate.signature
    fields = verify_certificate(payload, signature, load_public_key(station_key.public_pem()))
    assert fields["media"]["serial"] == "S4ENNX0N123456"
    assert [m["sanitization"]["status"] for m in fields["media_erased"]] == ["erased"]
    # Appendix G's person is who ran the erasure (the agent's operator), the station user only recorded it
    assert fields["person"]["name"] == "Jo Martin"
    assert fields["person"]["role"].startswith("agent operator; recorded by tech")


def test_a_bundle_for_a_graded_laptop_joins_its_pass_and_records_at_once(bench: UowFactory, agent_key: Signer) -> None:
    first = do_import(bench, sign(agent_key, content(erasures=[])))
    assert first.inspection_id is not None
    _finish_at_the_bench(bench, first.inspection_id)
    with bench() as uow:
        services.grade_device(uow, "tech", first.device_id, genuine_parts=True)
    second = do_import(bench, sign(agent_key, content()))
    assert (second.device_id, second.inspection_id, second.readings) == (first.device_id, first.inspection_id, 0)
    assert len(second.erasures_recorded) == 1
    assert (second.device_state, second.erasures_waiting) == ("erased", 0)
    with bench() as uow:
        erasure = uow.session.get(ErasureRecord, second.erasures_recorded[0])
        assert erasure is not None
        assert erasure.status == ErasureStatus.ERASED.value
    again = do_import(bench, sign(agent_key, content()))  # a new bundle for an erased laptop: no new readings
    assert again.erasures_recorded
    assert again.device_state == "erased"


FIRMWARE_LOCKS = {
    "firmware_password": {"state": "on", "evidence": "firmwarepasswd: Password Enabled: Yes"},
    "computrace": {"state": "unknown", "evidence": "not visible to the agent"},
}


def test_operator_and_firmware_locks_are_recorded_and_a_second_import_changes_nothing(
    bench: UowFactory, agent_key: Signer
) -> None:
    bundle = content(operator="  Jo Martin ")
    bundle["inspection"]["firmware_locks"] = FIRMWARE_LOCKS
    signed = sign(agent_key, bundle)
    result = do_import(bench, signed)
    assert result.operator == "Jo Martin"
    assert result.firmware_locks == (("computrace", "unknown"), ("firmware_password", "on"))
    assert "agent run by Jo Martin" in result.notes
    assert any(n.startswith("firmware password is set (firmwarepasswd: Password Enabled: Yes)") for n in result.notes)
    assert any(n.startswith("computrace not checked by the agent") for n in result.notes)
    # a firmware password found on is a lock like any other: the laptop is quarantined until the owner removes it
    with bench() as uow:
        device = uow.session.get(Device, result.device_id)
        assert device is not None
        assert (device.state, device.state_reason) == ("quarantined", "locked: firmware_password")
    with bench() as uow:
        event = uow.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "agent_bundle.imported")
        ).scalar_one()
        details = json.loads(event.payload)
        assert details["operator"] == "Jo Martin"
        assert details["firmware_locks"]["firmware_password"]["state"] == "on"
    before = snapshot(bench)
    again = do_import(bench, signed, actor="admin")
    assert (again.already_imported, again.operator) == (True, "Jo Martin")
    assert snapshot(bench) == before


def test_a_bundle_without_operator_says_so(bench: UowFactory, agent_key: Signer) -> None:
    result = do_import(bench, sign(agent_key, content()))
    assert result.operator is None
    assert "the bundle does not say who ran the agent" in result.notes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("operator", "", "operator '' is not valid"),
        ("operator", 42, "operator 42 is not valid"),
        ("operator", "x" * 65, "is not valid: 1 to 64"),
        ("firmware_locks", ["on"], "firmware lock list is not a record"),
        ("firmware_locks", {"": {"state": "on"}}, "firmware lock '' that is not valid"),
        ("firmware_locks", {"computrace": {"state": "maybe"}}, "cannot be true"),
    ],
    ids=["empty-operator", "number-operator", "long-operator", "lock-list", "nameless-lock", "bad-state"],
)
def test_malformed_operator_or_firmware_locks_are_refused(
    bench: UowFactory, agent_key: Signer, field: str, value: Any, message: str
) -> None:
    bundle = content()
    if field == "operator":
        bundle["operator"] = value
    else:
        bundle["inspection"][field] = value
    before = snapshot(bench)
    with pytest.raises(InvalidInput, match=message):
        do_import(bench, sign(agent_key, bundle))
    assert snapshot(bench) == before
