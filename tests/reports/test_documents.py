"""The read models: what each document states, read from records written by the real services."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from audit.documents import certificate_data, device_report_data, label_data, lot_report_data
from audit.errors import NotFound
from audit.models import Device
from tests.reports.conftest import Bench
from tests.reports.factories import lot_report


def test_device_report_data_states_every_section(bench: Bench) -> None:
    with bench.uow() as uow:
        data = device_report_data(uow, uow.session.get(Device, bench.device_id))
    assert data.device.imeis == ("356938035643809",)
    assert data.device.lot == "LOT-2026-042 #1"
    assert (data.battery.soh_percent, data.battery.soh_basis, data.battery.cycle_count) == (91.0, "device", 312)
    assert data.battery.sellable_min_soh == 85.0
    assert data.locks.verdict == "clear"
    assert {(line.kind, line.state) for line in data.locks.lines if line.relevant} == {
        ("icloud", "off"),
        ("mdm", "off"),
    }
    assert data.functional
    assert all(line.outcome == "pass" and line.recorded_by == "tech" for line in data.functional)
    assert [(d.zone, d.kind, d.severity, d.note) for d in data.defects] == [
        ("back", "scratch", "light", "near the camera")
    ]
    assert data.grade.grade == "very_good"
    assert "back scratch" in data.grade.reason
    assert data.erasure.certificate_id == bench.certificate_id
    assert data.erasure.nist_level == "purge"
    assert (data.review.auditor, data.review.decision) == ("audrey", "approved")


def test_report_digest_covers_the_content_not_the_print_time(bench: Bench) -> None:
    with bench.uow() as uow:
        device = uow.session.get(Device, bench.device_id)
        first, second = device_report_data(uow, device), device_report_data(uow, device)
    assert first.generated_at != second.generated_at
    assert first.digest == second.digest
    altered = dataclasses.replace(first, technician="somebody else")
    assert altered.digest != first.digest


def test_a_device_never_inspected_has_no_report(bench: Bench) -> None:
    from tests.audit.bench_flow import iphone, register

    other = register(bench.uow, iphone(imei="490154203237518", serial="C39XK1ABCDEF"))
    with bench.uow() as uow, pytest.raises(NotFound, match="no inspection yet"):
        device_report_data(uow, uow.session.get(Device, other))


def test_certificate_data_keeps_the_key_only_if_it_signed(bench: Bench) -> None:
    from audit.certificates import Signer

    with bench.uow() as uow:
        own = certificate_data(uow, bench.certificate_id, public_key_pem=bench.signer.public_pem())
        other = certificate_data(uow, bench.certificate_id, public_key_pem=Signer.generate().public_pem())
    assert own.public_key_pem == bench.signer.public_pem()
    assert other.public_key_pem is None
    assert own.media["serial"] == "F2LXK0ABHG7F"
    assert own.sanitization["category"] == "purge"


def test_lot_report_data_reconciles_declared_with_audited(bench: Bench) -> None:
    with bench.uow() as uow:
        data = lot_report_data(uow, bench.lot_reference)
    first, second = data.lines
    assert (first.status, first.audited_grade, first.soh_percent) == ("adjusted", "very_good", 91.0)
    assert first.adjusted_price == Decimal("279.00")
    assert second.status == "pending"
    assert second.audited_model is None
    assert data.quoted_total == Decimal("460.00")
    assert data.counter_offer_total == Decimal("279.00")  # nothing offered for the line not audited
    assert data.counts_by_status() == (("adjusted", 1), ("pending", 1))
    assert data.counts_by_grade() == (("very_good", 1), ("not_graded", 1))
    assert data.counts_by_battery_band() == (("sellable", 1), ("unknown", 1))


def test_label_data(bench: Bench) -> None:
    with bench.uow() as uow:
        data = label_data(uow, uow.session.get(Device, bench.device_id))
    assert (data.model, data.storage_gb, data.colour, data.grade, data.battery_percent) == (
        "iPhone 12",
        128,
        "Blue",
        "very_good",
        91.0,
    )
    assert data.barcode_value == "356938035643809"
    assert data.lot == "LOT-2026-042 #1"


@pytest.mark.parametrize(
    ("soh", "band"),
    [(None, "unknown"), (100.0, "sellable"), (85.0, "sellable"), (84.9, "replace"), (80.0, "replace"), (79.9, "worn")],
    ids=["unknown", "100", "at-minimum", "just-below", "at-worn-line", "worn"],
)
def test_battery_bands_follow_the_channel(soh: float | None, band: str) -> None:
    assert lot_report(1).battery_band(soh) == band


def test_synthetic_lot_counts_add_up() -> None:
    data = lot_report(500)
    for counts in (data.counts_by_status(), data.counts_by_grade(), data.counts_by_lock()):
        assert sum(n for _, n in counts) == 500
    assert sum(n for _, n in data.counts_by_battery_band()) == 500
    valued = [line.adjusted_price for line in data.lines if line.status in ("match", "adjusted")]
    assert data.counter_offer_total == sum(valued, Decimal(0))
