"""The auditor's search and the QC sample, on SQLite and PostgreSQL: filters against a Python oracle, keyset paging.

The bulk data is inserted with executemany (as the benchmark does, for 100k devices); one test walks devices
through the real services to check that the queries read what the services write.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from audit import db, queries, services
from audit.errors import InvalidInput, NotFound
from audit.models import Device, ErasureRecord, GradeRecord, Inspection, Lot, LotItem, ReviewRecord, User
from audit.queries import (
    DeviceFilter,
    PageRequest,
    count_devices,
    erasure_qc_candidates,
    identifier_prefix,
    lot_summary,
    page_statement,
    recent_lots,
    search_devices,
)
from audit.rules.identifiers import luhn_check_digit
from audit.unit_of_work import UnitOfWork
from tests.audit.bench_flow import ANDROID_IMEI, IPHONE_IMEI, iphone, make_users, register, to_certified

UowFactory = Callable[[], UnitOfWork]

STATES = ("identified", "inspected", "graded", "certified", "approved")
GRADES = ("premium", "excellent", "very_good", "good")
BASE = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """What the generator made of device number ``i``: the oracle the queries are checked against."""

    i: int
    imei: str
    serial: str
    state: str
    updated_at: datetime
    technician: str
    grade: str | None  # latest
    lot: str | None
    review: str | None
    erased_by: str | None


def imei_for(i: int) -> str:
    body = f"35{i:012d}"
    return body + str(luhn_check_digit(body))


def spec_for(i: int, lot_size: int) -> Spec:
    grade = None if i % 3 == 0 else GRADES[i % 4]
    return Spec(
        i=i,
        imei=imei_for(i),
        serial=f"SN{i:07d}",
        state=STATES[i % len(STATES)],
        # Three devices share each hour: the keyset must break ties on the id.
        updated_at=BASE + timedelta(hours=i // 3),
        technician="tech" if i % 2 == 0 else "tech2",
        grade=grade,
        lot="BULK-1" if i < lot_size else None,
        review={0: "approved", 5: "rejected"}.get(i % 10),
        erased_by=("tech" if i % 8 == 0 else "tech2") if i % 4 == 0 else None,
    )


def populate(connection: sa.Connection, count: int, *, lot_size: int = 40, batch: int = 20_000) -> list[Spec]:
    """``count`` devices with an inspection each, grades, erasures, reviews and one lot, by bulk inserts."""
    users = {name: uid for uid, name in connection.execute(sa.select(User.id, User.name))}
    specs = [spec_for(i, lot_size) for i in range(count)]
    lot_id = connection.execute(
        sa.insert(Lot).returning(Lot.id),
        {
            "reference": "BULK-1",
            "partner": "Bulk SA",
            "channel": "backmarket_pro",
            "quoted_on": BASE.date(),
            "received_at": BASE,
            "received_by_id": users["wendy"],
            "version_id": 1,
        },
    ).scalar_one()
    for start in range(0, count, batch):
        chunk = specs[start : start + batch]
        device_ids = connection.execute(
            sa.insert(Device).returning(Device.id, sort_by_parameter_order=True),
            [
                {
                    "family": "iphone",
                    "make": "Apple",
                    "model": "iPhone 12",
                    "serial": s.serial,
                    "imei": s.imei,
                    "storage_bytes": 128_000_000_000,
                    "state": s.state,
                    "state_reason": "",
                    "created_at": s.updated_at - timedelta(days=1),
                    "updated_at": s.updated_at,
                    "updated_by": s.technician,
                    "version_id": 1,
                }
                for s in chunk
            ],
        ).scalars()
        ids = list(device_ids)
        inspection_ids = list(
            connection.execute(
                sa.insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True),
                [
                    {
                        "device_id": device_id,
                        "station": "bench-1",
                        "technician_id": users[s.technician],
                        "channel": "backmarket_pro",
                        "started_at": s.updated_at - timedelta(hours=1),
                        "status": "finished",
                    }
                    for device_id, s in zip(ids, chunk, strict=True)
                ],
            ).scalars()
        )
        grades: list[dict[str, Any]] = []
        erasures: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        for device_id, inspection_id, s in zip(ids, inspection_ids, chunk, strict=True):
            common = {"device_id": device_id, "inspection_id": inspection_id}
            if s.grade is not None:
                if s.i % 7 == 0:  # graded twice: only the later grade counts
                    grades.append({**common, **_grade("fair", users[s.technician], s.updated_at - timedelta(hours=2))})
                grades.append({**common, **_grade(s.grade, users[s.technician], s.updated_at)})
            if s.erased_by is not None:
                erasures.append(
                    {
                        **common,
                        "performed_by_id": users[s.erased_by],
                        "recorded_at": s.updated_at,
                        "method": "Apple erase all content and settings",
                        "nist_level": "purge",
                        "status": "erased",
                        "started_at": s.updated_at - timedelta(minutes=3),
                        "finished_at": s.updated_at,
                        "data": {},
                    }
                )
            if s.review is not None:
                reviews.append(
                    {
                        **common,
                        "auditor_id": users["audrey"],
                        "decision": s.review,
                        "reason": "",
                        "decided_at": s.updated_at,
                    }
                )
            if s.lot is not None:
                items.append(
                    {
                        "lot_id": lot_id,
                        "line_no": s.i + 1,
                        "declared_model": "iPhone 12",
                        "declared_storage_gb": 128,
                        "declared_grade": "good",
                        "declared_identifier": s.imei,
                        "quoted_price": Decimal("200.00"),
                        "currency": "EUR",
                        "device_id": device_id,
                        "status": "pending",
                    }
                )
        for model, rows in (
            (GradeRecord, grades),
            (ErasureRecord, erasures),
            (ReviewRecord, reviews),
            (LotItem, items),
        ):
            if rows:
                connection.execute(sa.insert(model), rows)
    return specs


def _grade(grade: str, user_id: int, at: datetime) -> dict[str, Any]:
    return {
        "grade": grade,
        "ctia": "B",
        "sellable": True,
        "reason": "generated",
        "rubric_version": "test",
        "decided_by_id": user_id,
        "decided_at": at,
    }


@pytest.fixture
def staffed(uow_factory: UowFactory) -> UowFactory:
    make_users(uow_factory)
    return uow_factory


BULK = 300


@pytest.fixture
def bulk(staffed: UowFactory) -> tuple[UowFactory, list[Spec]]:
    with staffed() as uow:
        specs = populate(uow.session.connection(), BULK)
        uow.commit()
    return staffed, specs


def oracle(specs: list[Spec], f: DeviceFilter) -> list[Spec]:
    prefix = identifier_prefix(f.identifier)

    def keep(s: Spec) -> bool:
        return (
            (not prefix or s.imei.startswith(prefix) or s.serial.startswith(prefix))
            and (not f.lot or s.lot == f.lot)
            and (f.active_from is None or s.updated_at.date() >= f.active_from)
            and (f.active_to is None or s.updated_at.date() <= f.active_to)
            and (not f.technician or s.technician == f.technician)
            and (not f.states or s.state in f.states)
            and (not f.grade or s.grade == f.grade)
            and (not f.review or s.review == f.review or (f.review == "unreviewed" and s.review is None))
        )

    return sorted((s for s in specs if keep(s)), key=lambda s: (s.updated_at, s.i), reverse=True)


FILTERS = [
    pytest.param(DeviceFilter(), id="everything"),
    pytest.param(DeviceFilter(identifier=imei_for(123)), id="whole-imei"),
    pytest.param(DeviceFilter(identifier="35 0000 0001"), id="imei-prefix-with-spaces"),
    pytest.param(DeviceFilter(identifier="sn00002"), id="serial-prefix-lower-case"),
    pytest.param(DeviceFilter(identifier="IMEI: 35-000000-0009"), id="imei-label-and-dashes"),
    pytest.param(DeviceFilter(identifier="nothing-like-it"), id="no-match"),
    pytest.param(DeviceFilter(lot="BULK-1"), id="lot"),
    pytest.param(DeviceFilter(lot="NO-SUCH-LOT"), id="unknown-lot"),
    pytest.param(DeviceFilter(technician="tech2"), id="technician"),
    pytest.param(DeviceFilter(states=("approved", "certified")), id="states"),
    pytest.param(DeviceFilter(grade="excellent"), id="latest-grade"),
    pytest.param(DeviceFilter(grade="fair"), id="superseded-grade-only"),
    pytest.param(DeviceFilter(review="rejected"), id="rejected"),
    pytest.param(DeviceFilter(review="unreviewed"), id="unreviewed"),
    pytest.param(DeviceFilter(active_from=date(2025, 3, 3), active_to=date(2025, 3, 4)), id="two-days"),
    pytest.param(DeviceFilter(active_from=date(2025, 3, 5)), id="since"),
    pytest.param(
        DeviceFilter(technician="tech", grade="good", active_to=date(2025, 3, 4), lot="BULK-1"), id="combined"
    ),
]


@pytest.mark.parametrize("f", FILTERS)
def test_filters_match_the_oracle(bulk: tuple[UowFactory, list[Spec]], f: DeviceFilter) -> None:
    factory, specs = bulk
    expected = oracle(specs, f)
    with factory() as uow:
        page = search_devices(uow, f, PageRequest(size=500))
    assert page.total == len(expected)
    assert [row.imei for row in page.rows] == [s.imei for s in expected]
    assert page.next is None
    if f == DeviceFilter(grade="fair"):
        assert expected == []  # every "fair" grade was superseded by a later one


def test_keyset_pages_walk_every_match_once_in_order(bulk: tuple[UowFactory, list[Spec]]) -> None:
    factory, specs = bulk
    f = DeviceFilter(technician="tech")
    expected = [s.imei for s in oracle(specs, f)]
    seen: list[str] = []
    request = PageRequest(size=37)
    pages = 0
    while True:
        with factory() as uow:
            page = search_devices(uow, f, request)
        pages += 1
        assert page.total == (len(expected) if request.with_total else None)
        assert len(page.rows) <= 37
        seen.extend(row.imei or "" for row in page.rows)
        if page.next is None:
            break
        request = PageRequest(size=37, after=page.next, with_total=False)
    assert seen == expected
    assert pages == math.ceil(len(expected) / 37)


def test_page_rows_carry_lot_latest_grade_and_technician(bulk: tuple[UowFactory, list[Spec]]) -> None:
    factory, specs = bulk
    with factory() as uow:
        rows = search_devices(uow, DeviceFilter(identifier=imei_for(14)), PageRequest(size=5)).rows
    assert len(rows) == 1
    row = rows[0]
    s = specs[14]
    assert (row.lot, row.grade, row.technician, row.state) == ("BULK-1", s.grade, "tech", s.state)
    assert row.grade == "very_good"  # graded "fair" first (14 % 7 == 0): the latest grade wins
    assert row.updated_at == s.updated_at
    assert row.identifier == s.imei


@pytest.mark.parametrize(
    ("f", "request_", "message"),
    [
        pytest.param(DeviceFilter(), PageRequest(size=0), "a page holds", id="empty-page"),
        pytest.param(DeviceFilter(), PageRequest(size=10_000), "a page holds", id="huge-page"),
        pytest.param(
            DeviceFilter(active_from=date(2025, 3, 5), active_to=date(2025, 3, 1)), PageRequest(), "after", id="period"
        ),
        pytest.param(DeviceFilter(review="maybe"), PageRequest(), "review filter", id="review"),
        pytest.param(DeviceFilter(), PageRequest(count_limit=0), "count limit", id="count-limit"),
    ],
)
def test_bad_requests_are_refused(staffed: UowFactory, f: DeviceFilter, request_: PageRequest, message: str) -> None:
    with staffed() as uow, pytest.raises(InvalidInput, match=message):
        search_devices(uow, f, request_)


def test_qc_sample_draws_five_percent_never_the_auditors_own(bulk: tuple[UowFactory, list[Spec]]) -> None:
    factory, specs = bulk
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    population = [s for s in specs if s.erased_by is not None]
    with factory() as uow:
        selection = erasure_qc_candidates(uow, "tech", start=start, end=end)
        again = erasure_qc_candidates(uow, "tech", start=start, end=end)
        other_seed = erasure_qc_candidates(uow, "tech", start=start, end=end, seed="another draw")
        audrey = erasure_qc_candidates(uow, "audrey", start=start, end=end)
    assert selection.sample.population == len(population) == 75
    assert selection.sample.required == math.ceil(0.05 * 75) == 4
    assert selection.sample.excluded_own == sum(1 for s in population if s.erased_by == "tech")
    assert len(selection.candidates) == 4
    assert all(c.performed_by == "tech2" for c in selection.candidates)
    assert selection.sample.seed == "2025-03-01..2025-03-31"
    assert selection == again
    assert {c.erasure_id for c in other_seed.candidates} != {c.erasure_id for c in selection.candidates}
    assert {c.performed_by for c in audrey.candidates} <= {"tech", "tech2"}
    by_imei = {s.imei: s for s in specs}
    for candidate in selection.candidates:
        imei = candidate.device.rsplit("(", 1)[1].rstrip(")")
        assert by_imei[imei].erased_by == "tech2"


def test_qc_sample_of_an_empty_period(bulk: tuple[UowFactory, list[Spec]]) -> None:
    factory, _ = bulk
    with factory() as uow:
        selection = erasure_qc_candidates(uow, "audrey", start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert selection.candidates == ()
    assert selection.sample.population == selection.sample.required == 0


def test_queries_read_what_the_services_write(staffed: UowFactory) -> None:
    first = register(staffed)
    to_certified(staffed, first, actor="tech")
    with staffed() as uow:
        services.approve(uow, "audrey", first, "all good")
    second = register(staffed, iphone(imei=ANDROID_IMEI, serial="F2LXK0ABHG7G"), actor="tech2")
    with staffed() as uow:
        services.receive_lot(
            uow,
            "wendy",
            reference="LOT-S",
            partner="Recycle SA",
            quoted_on=date.today(),
            lines=[
                services.DeclaredLine("iPhone 12", 128, "excellent", "300.00", identifier=IPHONE_IMEI),
                services.DeclaredLine("iPhone 12", 128, "good", "200.50"),
            ],
        )
    with staffed() as uow:
        everything = search_devices(uow, DeviceFilter())
        approved = search_devices(uow, DeviceFilter(states=("approved",), review="approved", technician="tech"))
        by_tech2 = search_devices(uow, DeviceFilter(technician="tech2"))
        today = search_devices(uow, DeviceFilter(active_from=date.today(), active_to=date.today()))
        summary = lot_summary(uow, "LOT-S")
        lots = recent_lots(uow)
        qc = erasure_qc_candidates(uow, "audrey", start=date.today(), end=date.today())
    assert [row.device_id for row in everything.rows] == [second, first]  # registered after the approval
    assert [row.device_id for row in approved.rows] == [first]
    assert approved.rows[0].grade == "premium"
    assert approved.rows[0].technician == "tech"
    assert by_tech2.rows == ()  # registered by tech2, but never inspected
    assert today.total == 2
    assert [c.device_id for c in qc.candidates] == [first]
    assert summary.partner == "Recycle SA"
    assert summary.received_by == "wendy"
    assert [line.status for line in summary.lines] == ["pending", "pending"]
    assert summary.quoted_total == Decimal("500.50")
    assert summary.counter_offer_total == Decimal("0.00")
    assert (summary.scanned, summary.audited) == (0, 0)
    assert [(lot.reference, lot.lines, lot.scanned) for lot in lots] == [("LOT-S", 2, 0)]
    with staffed() as uow, pytest.raises(NotFound, match="no lot"):
        lot_summary(uow, "LOT-NONE")


def test_counts_agree_with_pages(bulk: tuple[UowFactory, list[Spec]]) -> None:
    factory, specs = bulk
    with factory() as uow:
        assert count_devices(uow, DeviceFilter()) == len(specs)
        assert count_devices(uow, DeviceFilter(states=("graded",))) == sum(1 for s in specs if s.state == "graded")


def query_plan(uow: UnitOfWork, f: DeviceFilter, page: PageRequest | None = None) -> str:
    """SQLite's plan for the page query search_devices runs, one line per step."""
    statement = page_statement(uow, f, page or PageRequest())
    compiled = statement.compile(uow.session.get_bind(), compile_kwargs={"literal_binds": True})
    rows = uow.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        # UNIQUE columns get SQLite's automatic indexes (sqlite_autoindex_devices_N).
        pytest.param(
            DeviceFilter(identifier="3500000"), "INDEX sqlite_autoindex_devices_1 (imei>? AND imei<?)", id="imei"
        ),
        pytest.param(DeviceFilter(identifier="SN000"), "(serial>? AND serial<?)", id="serial-prefix"),
        pytest.param(
            DeviceFilter(lot="BULK-1"), "lots USING COVERING INDEX sqlite_autoindex_lots_1 (reference=?)", id="lot"
        ),
        pytest.param(DeviceFilter(states=("graded",)), "ix_devices_state", id="state"),
        pytest.param(
            DeviceFilter(technician="tech"), "COVERING INDEX ix_inspections_technician_device", id="technician"
        ),
    ],
)
def test_sqlite_selective_filters_use_an_index(sqlite_url: str, f: DeviceFilter, expected: str) -> None:
    engine = db.create_engine_for(sqlite_url)
    factory = functools.partial(UnitOfWork, db.session_factory(engine))
    make_users(factory)
    with factory() as uow:
        populate(uow.session.connection(), 100)
        uow.commit()
    with factory() as uow:
        plan = query_plan(uow, f)
    engine.dispose()
    assert expected in plan, plan
    assert "SCAN devices" not in plan, plan


# --- the technician filter's two shapes, and counts that stop at a limit ----------------------------------------

SHAPES = [
    # Always read the technician's devices first, then sort them (a technician with few inspections).
    pytest.param(10**9, id="drive-from-inspections"),
    # Always read devices in page order and check each in the (technician_id, device_id) index (a busy one).
    pytest.param(0, id="probe-in-page-order"),
]

TECHNICIAN_FILTERS = [
    pytest.param(DeviceFilter(technician="tech"), id="technician"),
    pytest.param(DeviceFilter(technician=" tech2 "), id="technician-padded"),
    pytest.param(DeviceFilter(technician="tech", states=("graded",)), id="technician-state"),
    pytest.param(DeviceFilter(technician="tech2", states=("graded", "approved"), grade="good"), id="technician-grade"),
    pytest.param(DeviceFilter(technician="tech", lot="BULK-1", review="unreviewed"), id="technician-lot-review"),
    pytest.param(DeviceFilter(technician="audrey"), id="never-inspected"),
    pytest.param(DeviceFilter(technician="nobody"), id="no-such-user"),
]


@pytest.mark.parametrize("drive_up_to", SHAPES)
@pytest.mark.parametrize("f", TECHNICIAN_FILTERS)
def test_both_technician_shapes_walk_the_same_matches(
    bulk: tuple[UowFactory, list[Spec]], monkeypatch: pytest.MonkeyPatch, f: DeviceFilter, drive_up_to: int
) -> None:
    monkeypatch.setattr(queries, "DRIVE_FROM_INSPECTIONS_UP_TO", drive_up_to)
    factory, specs = bulk
    expected = oracle(specs, dataclasses.replace(f, technician=f.technician.strip()))
    seen: list[str] = []
    request = PageRequest(size=23)
    with factory() as uow:
        assert count_devices(uow, f) == len(expected)
        while True:
            page = search_devices(uow, f, request)
            seen.extend(row.imei or "" for row in page.rows)
            if page.next is None:
                break
            request = PageRequest(size=23, after=page.next, with_total=False)
    assert seen == [s.imei for s in expected]


@pytest.mark.parametrize("drive_up_to", SHAPES)
def test_reinspected_devices_count_once(
    bulk: tuple[UowFactory, list[Spec]], monkeypatch: pytest.MonkeyPatch, drive_up_to: int
) -> None:
    """A technician who inspected a device twice, or a device another one inspected first, matches it once."""
    monkeypatch.setattr(queries, "DRIVE_FROM_INSPECTIONS_UP_TO", drive_up_to)
    factory, specs = bulk
    again = [s.i for s in specs if s.technician == "tech"][:5]  # tech inspects five of their devices again
    taken_over = [s.i for s in specs if s.technician == "tech2"][:3]  # and three of tech2's
    with factory() as uow:
        connection = uow.session.connection()
        tech = connection.execute(sa.select(User.id).where(User.name == "tech")).scalar_one()
        ids = {imei: device_id for device_id, imei in connection.execute(sa.select(Device.id, Device.imei))}
        connection.execute(
            sa.insert(Inspection),
            [
                {
                    "device_id": ids[specs[i].imei],
                    "station": "bench-2",
                    "technician_id": tech,
                    "channel": "backmarket_pro",
                    "started_at": BASE,
                    "status": "finished",
                }
                for i in again + taken_over
            ],
        )
        uow.commit()
    mine = {s.imei for s in specs if s.technician == "tech"} | {specs[i].imei for i in taken_over}
    graded = {s.imei for s in specs if s.state == "graded"} & mine
    with factory() as uow:
        everything = search_devices(uow, DeviceFilter(technician="tech"), PageRequest(size=MAX_PAGE_ROWS))
        in_state = search_devices(uow, DeviceFilter(technician="tech", states=("graded",)), PageRequest(size=500))
        capped = count_devices(uow, DeviceFilter(technician="tech"), limit=10)
        by_tech2 = count_devices(uow, DeviceFilter(technician="tech2"))
    assert [row.imei for row in everything.rows] == sorted(
        mine, key=lambda imei: next((s.updated_at, s.i) for s in specs if s.imei == imei), reverse=True
    )
    assert everything.total == len(mine) == 150 + 3
    assert {row.imei for row in in_state.rows} == graded
    assert in_state.total == len(graded)
    assert capped == 10
    assert by_tech2 == 150  # still matches the devices tech took over: tech2 inspected them too


MAX_PAGE_ROWS = 500


@pytest.mark.parametrize(
    ("f", "limit", "total", "capped", "text"),
    [
        pytest.param(DeviceFilter(), 100, 100, True, "100+", id="all-over-limit"),
        pytest.param(DeviceFilter(), 300, 300, False, "300", id="all-at-limit"),
        pytest.param(DeviceFilter(), 299, 299, True, "299+", id="all-one-over-limit"),
        pytest.param(DeviceFilter(), 5000, 300, False, "300", id="all-under-limit"),
        pytest.param(DeviceFilter(technician="tech"), 149, 149, True, "149+", id="technician-one-over"),
        pytest.param(DeviceFilter(technician="tech"), 150, 150, False, "150", id="technician-at-limit"),
        pytest.param(DeviceFilter(states=("graded",), technician="tech"), 1, 1, True, "1+", id="state-technician"),
        pytest.param(DeviceFilter(identifier="nothing-like-it"), 10, 0, False, "0", id="none"),
    ],
)
def test_counts_stop_at_the_limit_and_say_so(
    bulk: tuple[UowFactory, list[Spec]], f: DeviceFilter, limit: int, total: int, capped: bool, text: str
) -> None:
    factory, specs = bulk
    exact = len(oracle(specs, f))
    with factory() as uow:
        page = search_devices(uow, f, PageRequest(size=10, count_limit=limit))
        assert count_devices(uow, f) == exact
        assert count_devices(uow, f, limit=limit) == min(exact, limit)
    assert (page.total, page.total_capped, page.total_text) == (total, capped, text)
    assert [row.imei for row in page.rows] == [s.imei for s in oracle(specs, f)[:10]]


def test_a_page_without_a_count_says_so(bulk: tuple[UowFactory, list[Spec]]) -> None:
    factory, _ = bulk
    with factory() as uow:
        page = search_devices(uow, DeviceFilter(), PageRequest(size=10, with_total=False, count_limit=5))
    assert (page.total, page.total_capped, page.total_text) == (None, False, "?")


@pytest.mark.parametrize(
    ("inspections", "expected", "absent"),
    [
        pytest.param(
            50,
            "SEARCH inspections USING COVERING INDEX ix_inspections_technician_device (technician_id=?)",
            "SCAN devices",
            id="few-inspections-drive",
        ),
        pytest.param(
            2000,
            "USING COVERING INDEX ix_inspections_technician_device (technician_id=? AND device_id=?)",
            "USE TEMP B-TREE FOR ORDER BY",
            id="many-inspections-probe",
        ),
    ],
)
def test_sqlite_plans_the_technician_filter_for_how_busy_they_are(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, inspections: int, expected: str, absent: str
) -> None:
    """A busy technician's page is read in page order from (state, updated_at, id), never sorted afterwards."""
    monkeypatch.setattr(queries, "DRIVE_FROM_INSPECTIONS_UP_TO", 1000)
    engine = db.create_engine_for(sqlite_url)
    factory = functools.partial(UnitOfWork, db.session_factory(engine))
    make_users(factory)
    with factory() as uow:
        populate(uow.session.connection(), inspections * 2)  # every other device is tech's
        uow.commit()
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    with factory() as uow:
        plan = query_plan(uow, DeviceFilter(technician="tech", states=("graded",)))
    engine.dispose()
    assert expected in plan, plan
    assert absent not in plan, plan
    if inspections > 1000:
        assert "SEARCH devices USING INDEX ix_devices_state_updated_at (state=?)" in plan, plan
