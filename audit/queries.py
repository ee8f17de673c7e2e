"""Read models for the auditor's desk and the lots screen: plain values out, filtered and paged in the database.

Searches never load every device: filters become SQL, pages are read by keyset (the last row seen), and the
per-row details (lot, last grade, last technician) are read for the rows of the page only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm

from audit.errors import InvalidInput, NotFound
from audit.models import (
    Device,
    ErasureRecord,
    GradeRecord,
    Inspection,
    Lot,
    LotItem,
    ReviewRecord,
    User,
)
from audit.rules.erasure_qc import R2V3_MINIMUM_FRACTION, QcSample, select_for_reverification
from audit.rules.tradein import LotTotals
from audit.unit_of_work import UnitOfWork

T = TypeVar("T")

MAX_PAGE = 500
# Up to this many inspections, a technician filter reads the technician's devices first and sorts them; beyond it,
# the devices are read in page order and each is checked in the (technician_id, device_id) index. SQLite assumes
# any IN (subquery) holds ~25 rows and always drives from it, which reads every device of a busy technician for one
# page (500,000 rowid lookups and a sort: ~200 ms at 1M devices); the check stops once the page is full.
DRIVE_FROM_INSPECTIONS_UP_TO = 20_000
_SEPARATORS = re.compile(r"[\s\-]+")
_LABEL = re.compile(r"^\s*(IMEI|MEID|S/?N|SERIAL)\s*[:#]?\s*", re.IGNORECASE)
REVIEW_DECISIONS = ("approved", "rejected")
NOT_REVIEWED = "unreviewed"


_PageSelect = sa.Select[int, str, str, str, str | None, str | None, str, datetime, str]


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceFilter:
    """What the auditor asks for; every field left empty matches everything.

    ``identifier`` is an IMEI or serial prefix (a whole one works too); ``active_from``/``active_to`` bound the
    day of the device's last state change (inclusive, UTC days); ``technician`` names someone who inspected it;
    ``grade`` is the device's latest grade; ``review`` is "approved", "rejected" (any review with that decision)
    or "unreviewed".
    """

    identifier: str = ""
    lot: str = ""
    active_from: date | None = None
    active_to: date | None = None
    technician: str = ""
    states: tuple[str, ...] = ()
    grade: str = ""
    review: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page ended: the sort key of its last row."""

    updated_at: datetime
    device_id: int


@dataclasses.dataclass(frozen=True, slots=True)
class PageRequest:
    size: int = 100
    after: Cursor | None = None
    with_total: bool = True  # counting costs a pass over the matches: ask once per search, not per page
    count_limit: int | None = None  # count at most this many matches (then the page says "N+"); None: exact


@dataclasses.dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    total: int | None
    next: Cursor | None  # None: this was the last page
    total_capped: bool = False  # more than ``total`` devices match (the count stopped at the request's limit)

    @property
    def total_text(self) -> str:
        """The count as a person should read it: "125,000", or "10,000+" when the count stopped at its limit."""
        if self.total is None:
            return "?"
        return f"{self.total:,}+" if self.total_capped else f"{self.total:,}"


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceRow:
    device_id: int
    family: str
    make: str
    model: str
    imei: str | None
    serial: str | None
    state: str
    updated_at: datetime
    updated_by: str
    lot: str | None
    grade: str | None
    technician: str | None

    @property
    def identifier(self) -> str:
        return self.imei or self.serial or f"#{self.device_id}"


def identifier_prefix(text: str) -> str:
    """What an IMEI/serial search box holds, as stored: labels, spaces and dashes removed, upper case."""
    return _SEPARATORS.sub("", _LABEL.sub("", text)).upper()


def _prefix_match(
    column: sa.orm.InstrumentedAttribute[str | None], prefix: str, dialect: str
) -> sa.ColumnElement[bool]:
    if dialect == "sqlite":
        # A range on the unique index (SQLite's LIKE is case-insensitive, so it cannot use a BINARY index).
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return sa.and_(column >= prefix, column < upper)
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped + "%", escape="\\")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filtered(uow: UnitOfWork, filters: DeviceFilter) -> list[sa.ColumnElement[bool]]:
    dialect = uow.session.get_bind().dialect.name
    conditions: list[sa.ColumnElement[bool]] = []
    prefix = identifier_prefix(filters.identifier)
    if prefix:
        conditions.append(
            sa.or_(
                _prefix_match(Device.imei, prefix, dialect),
                _prefix_match(Device.imei2, prefix, dialect),
                _prefix_match(Device.serial, prefix, dialect),
            )
        )
    if filters.lot.strip():
        in_lot = (
            sa.select(LotItem.device_id)
            .join(Lot, Lot.id == LotItem.lot_id)
            .where(Lot.reference == filters.lot.strip(), LotItem.device_id.is_not(None))
        )
        conditions.append(Device.id.in_(in_lot))
    if filters.active_from is not None:
        conditions.append(Device.updated_at >= _day_start(filters.active_from))
    if filters.active_to is not None:
        conditions.append(Device.updated_at < _day_start(filters.active_to + timedelta(days=1)))
    if filters.technician.strip():
        conditions.append(_inspected_by(uow.session, filters.technician.strip()))
    if filters.states:
        conditions.append(Device.state.in_(filters.states))
    if filters.grade:
        # The device's latest grade: a grade row with no later one for the same device (index on device_id).
        later = sa.orm.aliased(GradeRecord)
        superseded = sa.exists().where(later.device_id == GradeRecord.device_id, later.id > GradeRecord.id)
        conditions.append(
            Device.id.in_(sa.select(GradeRecord.device_id).where(GradeRecord.grade == filters.grade, ~superseded))
        )
    if filters.review:
        if filters.review == NOT_REVIEWED:
            conditions.append(Device.id.not_in(sa.select(ReviewRecord.device_id)))
        elif filters.review in REVIEW_DECISIONS:
            conditions.append(
                Device.id.in_(sa.select(ReviewRecord.device_id).where(ReviewRecord.decision == filters.review))
            )
        else:
            raise InvalidInput(f"unknown review filter {filters.review!r}")
    if filters.active_from and filters.active_to and filters.active_from > filters.active_to:
        raise InvalidInput(f"the period starts ({filters.active_from}) after it ends ({filters.active_to})")
    return conditions


def _technician_id(session: sa.orm.Session, name: str) -> int | None:
    return session.execute(sa.select(User.id).where(User.name == name)).scalar_one_or_none()


def _inspected_by(session: sa.orm.Session, name: str) -> sa.ColumnElement[bool]:
    """Devices the technician inspected, in the shape the database plans best for how busy they are."""
    technician = _technician_id(session, name)
    if technician is None:
        return sa.false()
    mine = Inspection.technician_id == technician
    busy = sa.select(sa.literal(1)).where(mine).limit(DRIVE_FROM_INSPECTIONS_UP_TO + 1).subquery()
    if session.execute(sa.select(sa.func.count()).select_from(busy)).scalar_one() <= DRIVE_FROM_INSPECTIONS_UP_TO:
        return Device.id.in_(sa.select(Inspection.device_id).where(mine))
    # SELECT 1, not SQLAlchemy's SELECT *: SQLite then answers from the index alone, without reading the row.
    return sa.select(sa.literal(1)).where(Inspection.device_id == Device.id, mine).exists()


def count_devices(uow: UnitOfWork, filters: DeviceFilter, limit: int | None = None) -> int:
    """How many devices match; with ``limit``, at most that many (the count stops there instead of reading on)."""
    return _count(uow, filters, None, limit)


def _count(
    uow: UnitOfWork, filters: DeviceFilter, conditions: list[sa.ColumnElement[bool]] | None, limit: int | None
) -> int:
    """``count_devices``, given the filters' conditions when the caller has built them already (they cost queries:
    the technician's id and how busy they are)."""
    if limit is not None and limit < 0:
        raise InvalidInput(f"a count limit is 0 or more, not {limit}")
    session = uow.session
    name = filters.technician.strip()
    matches: sa.Select[int]
    if name and dataclasses.replace(filters, technician="") == DeviceFilter():
        # A technician alone: every inspection has its device, so their devices are the distinct ids of their range
        # in the (technician_id, device_id) index, read without touching devices (1M probes otherwise).
        technician = _technician_id(session, name)
        if technician is None:
            return 0
        matches = sa.select(Inspection.device_id).where(Inspection.technician_id == technician).distinct()
    else:
        matches = sa.select(Device.id).where(*(conditions if conditions is not None else _filtered(uow, filters)))
    if limit is not None:
        matches = matches.limit(limit)
    return int(session.execute(sa.select(sa.func.count()).select_from(matches.subquery())).scalar_one())


def page_statement(uow: UnitOfWork, filters: DeviceFilter, page: PageRequest) -> _PageSelect:
    """The SQL of one page (exposed so that tests and benchmarks can read its query plan)."""
    return _page_select(_filtered(uow, filters), page)


def _page_select(conditions: list[sa.ColumnElement[bool]], page: PageRequest) -> _PageSelect:
    if not 1 <= page.size <= MAX_PAGE:
        raise InvalidInput(f"a page holds 1 to {MAX_PAGE} rows, not {page.size}")
    if page.count_limit is not None and page.count_limit < 1:
        raise InvalidInput(f"a count limit is 1 or more, not {page.count_limit}")
    query = sa.select(
        Device.id,
        Device.family,
        Device.make,
        Device.model,
        Device.imei,
        Device.serial,
        Device.state,
        Device.updated_at,
        Device.updated_by,
    ).where(*conditions)
    if page.after is not None:
        # A row-value comparison, not "a < x OR (a = x AND b < y)": PostgreSQL seeks a row value in the index but
        # filters the OR form row by row (126 ms for a page 90,000 rows deep at 1M devices).
        query = query.where(sa.tuple_(Device.updated_at, Device.id) < (page.after.updated_at, page.after.device_id))
    return query.order_by(Device.updated_at.desc(), Device.id.desc()).limit(page.size + 1)


def search_devices(uow: UnitOfWork, filters: DeviceFilter, page: PageRequest | None = None) -> Page[DeviceRow]:
    """One page of the devices that match, most recently active first."""
    page = page or PageRequest()
    conditions = _filtered(uow, filters)  # built once: the count below uses them too
    found = list(uow.session.execute(_page_select(conditions, page)))
    more = len(found) > page.size
    found = found[: page.size]
    ids = [row.id for row in found]
    lots, grades, technicians = _details(uow, ids)
    rows = tuple(
        DeviceRow(
            device_id=row.id,
            family=row.family,
            make=row.make,
            model=row.model,
            imei=row.imei,
            serial=row.serial,
            state=row.state,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
            lot=lots.get(row.id),
            grade=grades.get(row.id),
            technician=technicians.get(row.id),
        )
        for row in found
    )
    total, capped = None, False
    if page.with_total and page.after is None and not more:
        total = len(found)  # every match is on this first page: counting them again would read them all again
    elif page.with_total:
        if page.count_limit is None:
            total = _count(uow, filters, conditions, None)
        else:
            total = _count(uow, filters, conditions, page.count_limit + 1)
            capped = total > page.count_limit
            total = min(total, page.count_limit)
    after = Cursor(found[-1].updated_at, found[-1].id) if more else None
    return Page(rows, total, after, capped)


def _details(uow: UnitOfWork, ids: Sequence[int]) -> tuple[dict[int, str], dict[int, str | None], dict[int, str]]:
    """Lot, latest grade and latest technician of the page's devices: three indexed queries, whatever the page."""
    if not ids:
        return {}, {}, {}
    session = uow.session
    lots = {
        row.device_id: row.reference
        for row in session.execute(
            sa.select(LotItem.device_id, Lot.reference)
            .join(Lot, Lot.id == LotItem.lot_id)
            .where(LotItem.device_id.in_(ids))
        )
    }
    latest_grade = (
        sa.select(sa.func.max(GradeRecord.id)).where(GradeRecord.device_id.in_(ids)).group_by(GradeRecord.device_id)
    )
    grades: dict[int, str | None] = {
        row.device_id: row.grade or "not sellable"
        for row in session.execute(
            sa.select(GradeRecord.device_id, GradeRecord.grade).where(GradeRecord.id.in_(latest_grade))
        )
    }
    latest_inspection = (
        sa.select(sa.func.max(Inspection.id)).where(Inspection.device_id.in_(ids)).group_by(Inspection.device_id)
    )
    technicians = {
        row.device_id: row.name
        for row in session.execute(
            sa.select(Inspection.device_id, User.name)
            .join(User, User.id == Inspection.technician_id)
            .where(Inspection.id.in_(latest_inspection))
        )
    }
    return lots, grades, technicians


# ---------------------------------------------------------------------------------------------------------------
# R2v3 erasure QC


@dataclasses.dataclass(frozen=True, slots=True)
class QcCandidate:
    erasure_id: int
    device_id: int
    device: str
    performed_by: str
    recorded_at: datetime
    method: str
    nist_level: str
    device_state: str


@dataclasses.dataclass(frozen=True, slots=True)
class QcSelection:
    candidates: tuple[QcCandidate, ...]
    sample: QcSample
    period_start: date
    period_end: date  # inclusive


def erasure_qc_candidates(
    uow: UnitOfWork,
    auditor: str,
    *,
    start: date,
    end: date,
    seed: str | None = None,
    fraction: float = R2V3_MINIMUM_FRACTION,
) -> QcSelection:
    """The successful erasures of the period (UTC days, inclusive) the auditor must re-verify (R2v3, >= 5 %).

    The seed defaults to the period, so anyone can draw the same sample again; never the auditor's own erasures.
    """
    if start > end:
        raise InvalidInput(f"the period starts ({start}) after it ends ({end})")
    population = list(
        uow.session.execute(
            sa.select(ErasureRecord.id, User.name)
            .join(User, User.id == ErasureRecord.performed_by_id)
            .where(
                ErasureRecord.status == "erased",
                ErasureRecord.recorded_at >= _day_start(start),
                ErasureRecord.recorded_at < _day_start(end + timedelta(days=1)),
            )
            .order_by(ErasureRecord.id)
        )
    )
    try:
        sample = select_for_reverification(
            [(row.id, row.name) for row in population],
            auditor,
            seed=seed or f"{start.isoformat()}..{end.isoformat()}",
            fraction=fraction,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    chosen = [int(str(erasure_id)) for erasure_id in sample.chosen]
    candidates: list[QcCandidate] = []
    if chosen:
        for row in uow.session.execute(
            sa.select(ErasureRecord, Device, User.name)
            .join(Device, Device.id == ErasureRecord.device_id)
            .join(User, User.id == ErasureRecord.performed_by_id)
            .where(ErasureRecord.id.in_(chosen))
            .order_by(ErasureRecord.id)
        ):
            erasure, device, name = row
            candidates.append(
                QcCandidate(
                    erasure_id=erasure.id,
                    device_id=device.id,
                    device=device.label,
                    performed_by=name,
                    recorded_at=erasure.recorded_at,
                    method=erasure.method,
                    nist_level=erasure.nist_level,
                    device_state=device.state,
                )
            )
    return QcSelection(tuple(candidates), sample, start, end)


# ---------------------------------------------------------------------------------------------------------------
# Lots


@dataclasses.dataclass(frozen=True, slots=True)
class LotBrief:
    reference: str
    partner: str
    received_at: datetime
    lines: int
    scanned: int
    audited: int


@dataclasses.dataclass(frozen=True, slots=True)
class LotLineTerms:
    """A lot line as the partner declared it and as the reconciliation priced it: what every view of a line shares
    (the lots screen's ``LotLineView``, the lot report's ``audit.documents.LotLine``). Fields named as ``LotItem``'s."""

    line_no: int
    declared_model: str
    declared_storage_gb: int | None
    declared_grade: str
    declared_identifier: str | None
    quoted_price: Decimal
    currency: str
    status: str  # "pending" until the device is graded, then a ReconciliationStatus value
    adjusted_price: Decimal | None
    reasons: tuple[str, ...]


def lot_line_terms(item: LotItem) -> dict[str, Any]:
    """A line's shared fields read from its row, as keywords for a ``LotLineTerms`` subclass."""
    terms = {field.name: getattr(item, field.name) for field in dataclasses.fields(LotLineTerms)}
    terms["reasons"] = tuple(item.reasons or ())
    return terms


@dataclasses.dataclass(frozen=True, slots=True)
class LotLineView(LotLineTerms):
    declared_has_charger: bool | None
    device_id: int | None
    device: str | None  # the scanned device's label
    device_state: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class LotSummary(LotTotals[LotLineView]):
    reference: str
    partner: str
    channel: str
    quoted_on: date
    received_at: datetime
    received_by: str
    lines: tuple[LotLineView, ...]

    @property
    def scanned(self) -> int:
        return sum(1 for line in self.lines if line.device_id is not None)

    @property
    def audited(self) -> int:
        return sum(1 for line in self.lines if line.status != "pending")


def lot_summary(uow: UnitOfWork, reference: str) -> LotSummary:
    """A lot line by line: declared, scanned device, reconciliation status, adjusted price and reasons."""
    session = uow.session
    lot = session.execute(sa.select(Lot).where(Lot.reference == reference.strip())).scalar_one_or_none()
    if lot is None:
        raise NotFound(f"no lot {reference!r}")
    rows = session.execute(
        sa.select(LotItem, Device)
        .outerjoin(Device, Device.id == LotItem.device_id)
        .where(LotItem.lot_id == lot.id)
        .order_by(LotItem.line_no)
    )
    lines = []
    for item, device in rows:
        lines.append(
            LotLineView(
                **lot_line_terms(item),
                declared_has_charger=item.declared_has_charger,
                device_id=item.device_id,
                device=device.label if device is not None else None,
                device_state=device.state if device is not None else None,
            )
        )
    receiver = session.execute(sa.select(User.name).where(User.id == lot.received_by_id)).scalar_one_or_none()
    return LotSummary(
        reference=lot.reference,
        partner=lot.partner,
        channel=lot.channel,
        quoted_on=lot.quoted_on,
        received_at=lot.received_at,
        received_by=receiver or "?",
        lines=tuple(lines),
    )


def recent_lots(uow: UnitOfWork, limit: int = 50) -> tuple[LotBrief, ...]:
    """The latest lots received, newest first, with how far their audit got."""
    scanned = sa.func.count(LotItem.device_id)
    audited = sa.func.sum(sa.case((LotItem.status != "pending", 1), else_=0))
    query = (
        sa.select(Lot.reference, Lot.partner, Lot.received_at, sa.func.count(LotItem.id), scanned, audited)
        .join(LotItem, LotItem.lot_id == Lot.id)
        .group_by(Lot.id, Lot.reference, Lot.partner, Lot.received_at)
        .order_by(Lot.received_at.desc(), Lot.id.desc())
        .limit(limit)
    )
    return tuple(
        LotBrief(reference, partner, received_at, int(lines), int(n_scanned), int(n_audited or 0))
        for reference, partner, received_at, lines, n_scanned, n_audited in uow.session.execute(query)
    )
