"""The use cases, end to end on a real database: once on SQLite, once on PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
import sqlalchemy as sa

from audit import services
from audit.certificates import Signer, load_public_key, verify_certificate
from audit.errors import IdentityConflict, InvalidInput, NotFound, PermissionDenied, Refused
from audit.history import device_history
from audit.lifecycle import DeviceState, IllegalTransition
from audit.models import AuditEvent, BatteryRecord, CertificateRecord, Device, IdentityRecord, Listing, LotItem
from audit.readings import (
    CosmeticDefect,
    DefectKind,
    DefectSeverity,
    DefectZone,
    ErasureStatus,
    FunctionalResult,
    LockCheck,
    LockState,
    LockStatus,
    MeasuredBy,
    TestOutcome,
)
from tests.audit.bench_flow import (
    NA,
    OFF,
    UowFactory,
    erasure,
    inspect,
    iphone,
    make_users,
    register,
    to_certified,
)


@pytest.fixture
def bench(uow_factory: UowFactory) -> UowFactory:
    make_users(uow_factory)
    return uow_factory


def state_of(uow_factory: UowFactory, device_id: int) -> str:
    with uow_factory() as uow:
        device = uow.session.get(Device, device_id)
        assert device is not None
        return device.state


def test_happy_path_from_bench_to_listing(bench: UowFactory) -> None:
    device_id = register(bench)
    assert state_of(bench, device_id) == "identified"
    outcome = inspect(bench, device_id)
    assert outcome is not None
    assert outcome.state is DeviceState.INSPECTED
    with bench() as uow:
        decision = services.grade_device(uow, "tech", device_id, genuine_parts=True)
    assert decision.grade is not None
    assert decision.grade.value == "premium"
    with bench() as uow:
        services.record_erasure(uow, "tech", device_id, erasure())
    with bench() as uow:
        signer = Signer.generate()
        certificate_id = services.issue_certificate(uow, "tech", device_id, signer, station="bench-1")
    with bench() as uow:
        services.approve(uow, "audrey", device_id, "sample checked")
    with bench() as uow:
        listing_id = services.hand_off(uow, "wendy", device_id)
    assert state_of(bench, device_id) == "listed"
    with bench() as uow:
        listing = uow.session.get(Listing, listing_id)
        assert listing is not None
        assert listing.sku == "IPHONE-12-128GB-BLUE-PREMIUM"
        assert listing.status == "pending"
        certificate = uow.session.get(CertificateRecord, certificate_id)
        assert certificate is not None
        fields = verify_certificate(certificate.payload, certificate.signature, load_public_key(signer.public_pem()))
        assert fields["media"]["imei"] == "356938035643809"
        assert fields["sanitization"]["category"] == "purge"
        report = services.verify_chain(uow)
    assert report.valid, report.summary()


def test_a_lock_reading_quarantines_at_once(bench: UowFactory) -> None:
    device_id = register(bench)
    with bench() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    locked = LockStatus(
        "lockdown",
        icloud=LockCheck(LockState.ON, "com.apple.fmip IsAssociated=true"),
        google_frp=NA,
        samsung=NA,
        mdm=OFF,
    )
    with bench() as uow:
        services.record_reading(uow, "tech", inspection, locked)
    assert state_of(bench, device_id) == "quarantined"
    with bench() as uow, pytest.raises(Refused, match="quarantined"):
        services.grade_device(uow, "tech", device_id)


def test_grading_a_device_with_locks_unknown_is_refused(bench: UowFactory) -> None:
    device_id = register(bench)
    unknown = LockStatus(
        "lockdown",
        icloud=LockCheck(LockState.UNKNOWN, "Setup Assistant: FMIP may read false"),
        google_frp=NA,
        samsung=NA,
        mdm=OFF,
    )
    with pytest.raises(Refused, match="lock status unknown"):
        inspect(bench, device_id, locks=unknown)
    assert state_of(bench, device_id) == "identified"
    with bench() as uow, pytest.raises(Refused, match="cannot grade"):
        services.grade_device(uow, "tech", device_id)


@pytest.mark.parametrize(
    ("soh", "state"),
    [(85.0, "inspected"), (84.9, "repair"), (79.9, "repair")],
    ids=["sellable", "replace", "worn"],
)
def test_battery_routes_the_device(bench: UowFactory, soh: float, state: str) -> None:
    device_id = register(bench)
    outcome = inspect(bench, device_id, soh=soh)
    assert outcome is not None
    assert outcome.state.value == state


def test_unknown_battery_cannot_finish(bench: UowFactory) -> None:
    device_id = register(bench)
    with pytest.raises(Refused, match="battery health unknown"):
        inspect(bench, device_id, soh=None)


def test_a_failed_test_sends_to_parts_and_a_retest_supersedes(bench: UowFactory) -> None:
    device_id = register(bench)
    inspect(bench, device_id, finish=False)
    with bench() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
        services.record_reading(
            uow,
            "tech",
            inspection,
            FunctionalResult("microphones", TestOutcome.FAIL, MeasuredBy.MANUAL, "no signal"),
        )
    with bench() as uow:
        outcome = services.finish_inspection(uow, "tech", inspection)
    assert outcome.state is DeviceState.PARTS
    assert "microphones" in state_reason(bench, device_id)


def state_reason(uow_factory: UowFactory, device_id: int) -> str:
    with uow_factory() as uow:
        device = uow.session.get(Device, device_id)
        assert device is not None
        return device.state_reason


def test_auditor_cannot_approve_own_work(bench: UowFactory) -> None:
    device_id = register(bench)
    # An admin does the bench work, then tries to sign it off.
    to_certified(bench, device_id, actor="admin")
    with bench() as uow, pytest.raises(Refused, match="admin inspected"):
        services.approve(uow, "admin", device_id)
    with bench() as uow:
        services.approve(uow, "audrey", device_id)
    assert state_of(bench, device_id) == "approved"


def test_technician_cannot_approve(bench: UowFactory) -> None:
    device_id = register(bench)
    to_certified(bench, device_id)
    with bench() as uow, pytest.raises(PermissionDenied, match="may not review"):
        services.approve(uow, "tech2", device_id)


def test_listing_an_unapproved_device_is_refused(bench: UowFactory) -> None:
    device_id = register(bench)
    to_certified(bench, device_id)
    with bench() as uow, pytest.raises(Refused, match="not approved"):
        services.hand_off(uow, "wendy", device_id)
    with bench() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(Listing)).scalar_one() == 0


def test_rejection_needs_a_reason_and_sends_back_to_the_bench(bench: UowFactory) -> None:
    device_id = register(bench)
    to_certified(bench, device_id)
    with bench() as uow, pytest.raises(InvalidInput):
        services.reject(uow, "audrey", device_id, "  ")
    with bench() as uow:
        services.reject(uow, "audrey", device_id, "scratch on the lens missed")
    assert state_of(bench, device_id) == "identified"


def test_failed_erasure_is_recorded_and_does_not_advance(bench: UowFactory) -> None:
    device_id = register(bench)
    inspect(bench, device_id)
    with bench() as uow:
        services.grade_device(uow, "tech", device_id)
    with bench() as uow:
        services.record_erasure(uow, "tech", device_id, erasure(ErasureStatus.FAILED))
    assert state_of(bench, device_id) == "graded"
    signer = Signer.generate()
    with bench() as uow, pytest.raises(Refused, match="not erased"):
        services.issue_certificate(uow, "tech", device_id, signer, station="bench-1")


def test_heavy_defect_is_not_sellable(bench: UowFactory) -> None:
    device_id = register(bench)
    crack = CosmeticDefect(DefectZone.SCREEN, DefectKind.CRACK, DefectSeverity.HEAVY)
    inspect(bench, device_id, defects=(crack,))
    with bench() as uow:
        decision = services.grade_device(uow, "tech", device_id)
    assert not decision.sellable
    assert state_of(bench, device_id) == "repair"


def test_defect_in_a_zone_the_family_lacks_is_refused(bench: UowFactory) -> None:
    device_id = register(bench)
    with pytest.raises(InvalidInput, match="no keyboard zone"):
        inspect(
            bench,
            device_id,
            defects=(CosmeticDefect(DefectZone.KEYBOARD, DefectKind.WORN_KEYS, DefectSeverity.LIGHT),),
        )


def test_roles_are_enforced_in_the_service_layer(bench: UowFactory) -> None:
    with bench() as uow, pytest.raises(PermissionDenied, match="may not register device"):
        services.register_device(uow, "audrey", iphone())
    device_id = register(bench)
    with bench() as uow, pytest.raises(PermissionDenied, match="may not inspect"):
        services.start_inspection(uow, "wendy", device_id, station="bench-1")
    with bench() as uow, pytest.raises(PermissionDenied, match="unknown or inactive"):
        services.start_inspection(uow, "mallory", device_id, station="bench-1")
    with bench() as uow, pytest.raises(PermissionDenied, match="may not manage users"):
        services.add_user(uow, "tech", "eve", "admin")
    with bench() as uow, pytest.raises(PermissionDenied, match="an admin must add users"):
        services.add_user(uow, None, "eve", "admin")


def test_user_input_is_validated(bench: UowFactory) -> None:
    with bench() as uow, pytest.raises(InvalidInput, match="unknown role"):
        services.add_user(uow, "admin", "zoe", "janitor")
    with bench() as uow, pytest.raises(InvalidInput, match="already exists"):
        services.add_user(uow, "admin", "tech", "technician")
    with bench() as uow, pytest.raises(InvalidInput, match="Luhn"):
        services.register_device(uow, "tech", iphone(imei="356938035643808"))


def test_a_device_is_unique_by_imei_or_serial(bench: UowFactory) -> None:
    first = register(bench)
    again = register(bench)
    assert first == again
    with bench() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(Device)).scalar_one() == 1


def test_identity_mismatch_quarantines(bench: UowFactory) -> None:
    device_id = register(bench)
    same_imei_other_serial = iphone(serial="C39XK0ABHG7F")
    returned = register(bench, same_imei_other_serial)
    assert returned == device_id
    assert state_of(bench, device_id) == "quarantined"
    assert "identity mismatch" in state_reason(bench, device_id)
    with bench() as uow:
        services.release(uow, "audrey", device_id, "logic board swapped, documented")
    assert state_of(bench, device_id) == "identified"


def test_identifiers_of_two_records_conflict(bench: UowFactory) -> None:
    register(bench)
    register(bench, iphone(imei="490154203237518", serial="DNPXK0ABHG7F"))
    with bench() as uow, pytest.raises(IdentityConflict, match="several records"):
        services.register_device(uow, "tech", iphone(imei="490154203237518", serial="F2LXK0ABHG7F"))


def test_interrupted_inspection_resumes_with_its_readings(bench: UowFactory) -> None:
    device_id = register(bench)
    with bench() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    from tests.audit.bench_flow import battery

    with bench() as uow:
        services.record_reading(uow, "tech", inspection, battery())
    with bench() as uow:
        services.interrupt_inspection(uow, "tech", inspection, "unplugged")
    with bench() as uow, pytest.raises(Refused, match="interrupted"):
        services.record_reading(uow, "tech", inspection, battery())
    with bench() as uow:
        resumed = services.start_inspection(uow, "tech", device_id, station="bench-2")
    assert resumed == inspection
    with bench() as uow:
        rows = uow.session.execute(sa.select(BatteryRecord).where(BatteryRecord.inspection_id == inspection))
        assert len(rows.scalars().all()) == 1


def test_readings_are_immutable(bench: UowFactory) -> None:
    from audit.models import ImmutableRecordError

    device_id = register(bench)
    inspect(bench, device_id)
    with bench() as uow:
        row = uow.session.execute(sa.select(BatteryRecord)).scalars().first()
        assert row is not None
        row.soh_percent = 100.0
        with pytest.raises(ImmutableRecordError):
            uow.session.flush()
    with bench() as uow:
        row = uow.session.execute(sa.select(BatteryRecord)).scalars().first()
        uow.session.delete(row)
        with pytest.raises(ImmutableRecordError):
            uow.session.flush()


def test_every_transition_is_in_the_chain(bench: UowFactory) -> None:
    device_id = register(bench)
    to_certified(bench, device_id)
    with bench() as uow:
        states = [
            json.loads(e.payload)["to"]
            for e in uow.session.execute(
                sa.select(AuditEvent).where(AuditEvent.action == "device.state").order_by(AuditEvent.seq)
            ).scalars()
        ]
    assert states == ["identified", "inspected", "graded", "erased", "certified"]


def test_history_lists_everything_in_order(bench: UowFactory) -> None:
    device_id = register(bench)
    to_certified(bench, device_id)
    with bench() as uow:
        history = device_history(uow, services.find_device(uow, "35-693803-564380-9"))
    assert history.device_id == device_id
    assert history.state == "certified"
    whats = [entry.what for entry in history.entries]
    assert "battery" in whats
    assert "grade" in whats
    assert "certificate" in whats
    assert [entry.at for entry in history.entries] == sorted(entry.at for entry in history.entries)
    with bench() as uow, pytest.raises(NotFound):
        services.find_device(uow, "000000000000000")


def test_receive_lot_and_reconcile_on_grading(bench: UowFactory) -> None:
    lines = [
        services.DeclaredLine("iPhone 12", 128, "excellent", "300.00", identifier="356938035643809"),
        services.DeclaredLine("iPhone 12", 64, "good", "200", identifier="490154203237518"),
    ]
    with bench() as uow:
        services.receive_lot(uow, "wendy", reference="LOT-1", partner="Recycle SA", quoted_on=date.today(), lines=lines)
    with bench() as uow, pytest.raises(InvalidInput, match="already received"):
        services.receive_lot(uow, "wendy", reference="LOT-1", partner="Recycle SA", quoted_on=date.today(), lines=lines)
    device_id = register(bench)
    scratch = CosmeticDefect(DefectZone.BACK, DefectKind.SCRATCH, DefectSeverity.VISIBLE)
    inspect(bench, device_id, defects=(scratch,))
    with bench() as uow:
        services.grade_device(uow, "tech", device_id)
    with bench() as uow:
        item = uow.session.execute(sa.select(LotItem).where(LotItem.line_no == 1)).scalar_one()
        assert item.device_id == device_id
        assert item.status == "adjusted"
        assert item.adjusted_price is not None
        assert item.adjusted_price < item.quoted_price
        assert item.reasons


def test_receive_lot_refuses_bad_lines(bench: UowFactory) -> None:
    bad = [services.DeclaredLine("iPhone 12", 128, "excellent", "abc")]
    with bench() as uow, pytest.raises(InvalidInput, match="not a price"):
        services.receive_lot(uow, "wendy", reference="L2", partner="P", quoted_on=date.today(), lines=bad)
    with bench() as uow, pytest.raises(PermissionDenied):
        services.receive_lot(
            uow,
            "tech",
            reference="L2",
            partner="P",
            quoted_on=date.today(),
            lines=[services.DeclaredLine("iPhone 12", 128, "excellent", "1")],
        )


def test_illegal_transition_is_refused() -> None:
    from audit.lifecycle import require_transition

    with pytest.raises(IllegalTransition, match="a device that is identified cannot become listed"):
        require_transition(DeviceState.IDENTIFIED, DeviceState.LISTED)


def test_a_laptop_certificate_covers_every_erased_disk(bench: UowFactory) -> None:
    from audit.readings import DeviceFamily, DeviceIdentity

    laptop = DeviceIdentity(DeviceFamily.LAPTOP, "Lenovo", "ThinkPad T14", serial="PF3ABCDE")
    device_id = register(bench, laptop)
    with bench() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    from audit.readings import BatteryReading, CapacityUnit, LockCheck, LockState, LockStatus
    from tests.audit.bench_flow import all_functional

    readings = [
        LockStatus("agent", icloud=LockCheck(LockState.NOT_APPLICABLE), mdm=OFF),
        BatteryReading("sysfs", 57_000_000.0, 51_000_000.0, CapacityUnit.UWH, 212),
        *all_functional(DeviceFamily.LAPTOP),
    ]
    for reading in readings:
        with bench() as uow:
            services.record_reading(uow, "tech", inspection, reading)
    with bench() as uow:
        assert services.finish_inspection(uow, "tech", inspection).state is DeviceState.INSPECTED
    with bench() as uow:
        services.grade_device(uow, "tech", device_id)
    disks = [("Samsung", "PM9A1", "S6EYNX0R1"), ("WDC", "WD10SPZX", "WX61A3")]
    for number, (make, model, serial) in enumerate(disks):
        report = {
            "media": {"manufacturer": make, "model": model, "serial": serial, "kind": "nvme", "bus": "pcie"},
            "rounds": 1,
            "verify_errors": 0,
            "prng": None,
            "commands": ["nvme sanitize -a 4"],
        }
        with bench() as uow:
            services.record_erasure(
                uow,
                "tech",
                device_id,
                erasure(ErasureStatus.FAILED if number == 2 else ErasureStatus.ERASED),
                report=report,
            )
    with bench() as uow:
        services.record_erasure(uow, "tech", device_id, erasure(ErasureStatus.FAILED))  # a third disk failed
    signer = Signer.generate()
    with bench() as uow:
        certificate_id = services.issue_certificate(
            uow, "tech", device_id, signer, station="bench-1", location="Lyon warehouse"
        )
    with bench() as uow:
        certificate = uow.session.get(CertificateRecord, certificate_id)
        assert certificate is not None
        fields = verify_certificate(certificate.payload, certificate.signature, load_public_key(signer.public_pem()))
    assert [m["media"]["serial"] for m in fields["media_erased"]] == ["S6EYNX0R1", "WX61A3"]
    assert fields["media_erased"][0]["sanitization"]["commands"] == ["nvme sanitize -a 4"]
    assert fields["location"] == "Lyon warehouse"
    assert fields["device"]["serial"] == "PF3ABCDE"


def test_the_technician_records_the_colour_a_device_does_not_report(bench: UowFactory) -> None:
    device_id = register(bench)
    with bench() as uow, pytest.raises(InvalidInput, match="colour"):
        services.set_colour(uow, "tech", device_id, "   ")
    with bench() as uow, pytest.raises(PermissionDenied):
        services.set_colour(uow, "wendy", device_id, "Red")
    with bench() as uow:
        services.set_colour(uow, "tech", device_id, "  Product   Red ")
    with bench() as uow:
        device = uow.session.get(Device, device_id)
        assert device is not None
        assert device.colour == "Product Red"
        event = uow.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "device.colour")).scalar_one()
        assert json.loads(event.payload) == {"from": "Blue", "to": "Product Red"}
        history = device_history(uow, device)
    assert [(e.who, e.what, e.detail) for e in history.entries if e.what == "colour"] == [
        ("tech", "colour", "Blue -> Product Red")
    ]


def test_approval_can_queue_the_listing_in_the_same_transaction(bench: UowFactory) -> None:
    device_id = register(bench)
    to_certified(bench, device_id)
    with bench() as uow:
        listing_id = services.approve(uow, "audrey", device_id, "report checked", list_on="backmarket")
    assert listing_id is not None
    assert state_of(bench, device_id) == "listed"
    with bench() as uow:
        listing = uow.session.get(Listing, listing_id)
        assert listing is not None
        assert (listing.status, listing.sku) == ("pending", "IPHONE-12-128GB-BLUE-PREMIUM")
        assert services.verify_chain(uow).valid


def test_an_approval_whose_listing_is_refused_writes_nothing(bench: UowFactory) -> None:
    import dataclasses

    unknown = dataclasses.replace(iphone(imei="490154203237518", serial="DNPXK0ABHG7F"), model="iPhone 99")
    device_id = register(bench, unknown)
    to_certified(bench, device_id)
    with bench() as uow, pytest.raises(Refused, match="iPhone 99"):
        services.approve(uow, "audrey", device_id, "ok", list_on="backmarket")
    assert state_of(bench, device_id) == "certified"
    with bench() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(Listing)).scalar_one() == 0
    with bench() as uow:  # approving without listing is still possible
        assert services.approve(uow, "audrey", device_id, "ok") is None
    assert state_of(bench, device_id) == "approved"


def test_an_identity_read_another_way_says_how_in_its_record(bench: UowFactory) -> None:
    device_id = register(bench)
    with bench() as uow:
        inspection = services.start_inspection(uow, "tech", device_id, station="bench-1")
    by_modem = dataclasses.replace(iphone(), source="modem /dev/ttyACM0 (AT+DEVCONINFO, AT+CGSN)")
    with bench() as uow:
        services.record_reading(uow, "tech", inspection, iphone())
        services.record_reading(uow, "tech", inspection, by_modem)
    with bench() as uow:
        sources = uow.session.execute(sa.select(IdentityRecord.source).order_by(IdentityRecord.id)).scalars().all()
    assert sources == [iphone().hardware_id, "modem /dev/ttyACM0 (AT+DEVCONINFO, AT+CGSN)"]
