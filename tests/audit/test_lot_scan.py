"""Receiving a lot from the partner's CSV and scanning devices into it, through the real services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

from audit import services
from audit.errors import InvalidInput, NotFound, PermissionDenied, Refused
from audit.models import AuditEvent, Lot, LotItem
from audit.queries import lot_summary
from audit.services.lots import LotFileRejected, import_lot_csv, scan_into_lot
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import ANDROID_IMEI, IPHONE_IMEI, inspect, iphone, make_users, register

UowFactory = Callable[[], UnitOfWork]

CSV = (
    "\ufeffModèle;Stockage;État;Prix;Devise;IMEI;Chargeur\n"
    f"iPhone 12;128 Go;Excellent;300,00;EUR;{IPHONE_IMEI};\n"
    "iPhone 12;128 Go;Bon état;200,00;EUR;;\n"
    "Pixel 7;128 Go;Bon état;150,00;EUR;;\n"
).encode()


@pytest.fixture
def staffed(uow_factory: UowFactory) -> UowFactory:
    make_users(uow_factory)
    return uow_factory


def _import(factory: UowFactory, data: bytes | str = CSV, reference: str = "LOT-A", actor: str = "wendy") -> int:
    with factory() as uow:
        return import_lot_csv(uow, actor, data, reference=reference, partner="Recycle SA", quoted_on=date.today())


def test_import_receives_every_line(staffed: UowFactory) -> None:
    _import(staffed)
    with staffed() as uow:
        summary = lot_summary(uow, "LOT-A")
    assert [(line.line_no, line.declared_grade, str(line.quoted_price)) for line in summary.lines] == [
        (1, "excellent", "300.00"),
        (2, "good", "200.00"),
        (3, "good", "150.00"),
    ]
    assert summary.lines[0].declared_identifier == IPHONE_IMEI
    assert summary.lines[0].declared_storage_gb == 128


def test_a_file_with_a_bad_line_imports_nothing(staffed: UowFactory) -> None:
    bad = CSV + b"Pixel 8;128;shiny;1,299;EUR;;\n"
    with pytest.raises(LotFileRejected) as caught:
        _import(staffed, bad)
    assert [(p.line, p.message.split(" ")[0]) for p in caught.value.problems] == [(5, "condition"), (5, "price:")]
    assert "line 5: condition 'shiny'" in str(caught.value)
    with staffed() as uow:
        assert uow.session.execute(sa.select(sa.func.count()).select_from(Lot)).scalar_one() == 0
        assert uow.session.execute(sa.select(sa.func.count()).select_from(LotItem)).scalar_one() == 0


def test_only_warehouse_staff_import(staffed: UowFactory) -> None:
    with pytest.raises(PermissionDenied):
        _import(staffed, actor="tech")


def test_scan_links_by_declared_imei_then_by_model(staffed: UowFactory) -> None:
    _import(staffed)
    first = register(staffed)
    second = register(staffed, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"))
    with staffed() as uow:
        declared = scan_into_lot(uow, "wendy", "LOT-A", "35-693803-564380-9")
    with staffed() as uow:
        by_model = scan_into_lot(uow, "tech", "LOT-A", "f2lxk0abhg7g")  # the serial, typed in lower case
    with staffed() as uow:
        again = scan_into_lot(uow, "wendy", "LOT-A", IPHONE_IMEI)
    assert (declared.line_no, declared.device_id, declared.status, declared.already_scanned) == (
        1,
        first,
        "pending",
        False,
    )
    assert (by_model.line_no, by_model.device_id) == (2, second)
    assert again.already_scanned
    assert again.line_no == 1
    with staffed() as uow:
        summary = lot_summary(uow, "LOT-A")
        events = uow.session.execute(sa.select(AuditEvent.action).where(AuditEvent.action == "lot.scanned")).all()
    assert [line.device_id for line in summary.lines] == [first, second, None]
    assert summary.scanned == 2
    assert summary.lines[0].device == f"Apple iPhone 12 ({IPHONE_IMEI})"
    assert len(events) == 2  # the repeated scan changes nothing


def test_scanning_a_graded_device_reconciles_it_at_once(staffed: UowFactory) -> None:
    _import(staffed)
    device = register(staffed, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"))
    inspect(staffed, device)
    with staffed() as uow:
        services.grade_device(uow, "tech", device, genuine_parts=True)
    with staffed() as uow:
        result = scan_into_lot(uow, "wendy", "LOT-A", ANDROID_IMEI)
    assert result.line_no == 2
    assert result.status == "match"
    assert result.adjusted_price is not None
    with staffed() as uow:
        summary = lot_summary(uow, "LOT-A")
    assert summary.lines[1].status == "match"
    assert summary.counter_offer_total == summary.lines[1].adjusted_price
    assert summary.audited == 1


@pytest.mark.parametrize(
    ("scan", "error", "message"),
    [
        pytest.param(ANDROID_IMEI, NotFound, "plug it in at the bench", id="unknown-device"),
        pytest.param("356938035643800", InvalidInput, "Luhn", id="bad-imei"),
        pytest.param("", InvalidInput, "empty", id="empty"),
    ],
)
def test_scan_refusals(staffed: UowFactory, scan: str, error: type[Exception], message: str) -> None:
    _import(staffed)
    with staffed() as uow, pytest.raises(error, match=message):
        scan_into_lot(uow, "wendy", "LOT-A", scan)


def test_a_device_declared_in_another_lot_is_refused(staffed: UowFactory) -> None:
    _import(staffed)
    _import(staffed, "model;condition;price\nPixel 7;good;10\niPhone 12;good;10\n", reference="LOT-B")
    register(staffed)
    with staffed() as uow, pytest.raises(Refused, match="declared in lot LOT-A \\(line 1\\), not in LOT-B"):
        scan_into_lot(uow, "wendy", "LOT-B", IPHONE_IMEI)
    second = register(staffed, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"))
    with staffed() as uow:
        scan_into_lot(uow, "wendy", "LOT-B", ANDROID_IMEI)
    with staffed() as uow, pytest.raises(Refused, match="already in lot LOT-B \\(line 2\\)"):
        scan_into_lot(uow, "wendy", "LOT-A", ANDROID_IMEI)
    with staffed() as uow:
        assert lot_summary(uow, "LOT-B").lines[1].device_id == second


def test_a_device_not_in_the_quote_is_refused(staffed: UowFactory) -> None:
    _import(staffed, "model;condition;price\nPixel 7;good;10\n", reference="LOT-P")
    register(staffed)
    with staffed() as uow, pytest.raises(Refused, match="no open line"):
        scan_into_lot(uow, "wendy", "LOT-P", IPHONE_IMEI)
    with staffed() as uow, pytest.raises(NotFound, match="no lot 'LOT-Z'"):
        scan_into_lot(uow, "wendy", "LOT-Z", IPHONE_IMEI)
    with staffed() as uow, pytest.raises(PermissionDenied):
        scan_into_lot(uow, "audrey", "LOT-P", IPHONE_IMEI)
