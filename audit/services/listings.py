"""Hand-off of approved devices to a marketplace, and the listings outbox the marketplace sender drains.

Why the hand-off stays an explicit step (and not a side effect of ``approve``): approving is the auditor's sign-off of
the work; listing is the warehouse's decision of where and at what price a device is sold (``Action.HAND_OFF``), and it
can be refused for reasons approval knows nothing about (no price, no Back Market product for the model). What the
outbox pattern needs is that the record of the hand-off and the message to send are one transaction: ``hand_off``
writes the device's move to *listed*, the audit event and the outbox row (with the exact offer) in one commit, and the
sender only ever reads committed rows. So no hand-off is lost (the row exists whenever the device is listed) and none
is sent without being recorded.

Quantities are absolute: a SKU's catalog line carries the number of this station's live listings of that SKU
(pending, sent or listed), so sending the same line twice can never count a device twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from audit.errors import InvalidInput, NotFound, PermissionDenied, Refused
from audit.lifecycle import DeviceState
from audit.marketplace import (
    BackMarketGrade,
    DeviceFacts,
    ListingDraft,
    ListingRefused,
    PriceList,
    ProductMap,
    catalog_row,
    draft_listing,
    load_price_list,
    load_product_map,
    sku_for,
)
from audit.models import (
    BatteryRecord,
    Device,
    GradeRecord,
    Listing,
    LockRecord,
    User,
    utcnow,
)
from audit.readings import BatteryReading, DeviceFamily
from audit.roles import Action, Role, may
from audit.rules.channels import load_channel
from audit.rules.grading import CosmeticGrade
from audit.services._common import (
    last_inspection,
    latest_reading,
    load_device,
    record_event,
    require_actor,
    set_state,
)
from audit.unit_of_work import UnitOfWork

PENDING = "pending"
SENT = "sent"
LISTED = "listed"
FAILED = "failed"
LIVE = (PENDING, SENT, LISTED)
_ERROR_MAX = 500


def listing_sku(device: Device, grade: str) -> str:
    """The SKU of a device's kind (convention in :mod:`audit.marketplace`)."""
    return sku_for(device.model, device.storage_bytes, device.colour, grade)


def _facts(uow: UnitOfWork, device: Device) -> DeviceFacts:
    inspection = last_inspection(uow, device)
    lock_row = latest_reading(uow, LockRecord, inspection.id)
    battery_row = latest_reading(uow, BatteryRecord, inspection.id)
    grade_row = uow.session.execute(
        sa.select(GradeRecord).where(GradeRecord.device_id == device.id).order_by(GradeRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    return DeviceFacts(
        label=device.label,
        family=DeviceFamily(device.family),
        model=device.model,
        storage_bytes=device.storage_bytes,
        colour=device.colour,
        state=device.state,
        lock_verdict=lock_row.verdict if lock_row else None,
        battery=BatteryReading.from_record(battery_row.data) if battery_row else None,
        grade=CosmeticGrade(grade_row.grade) if grade_row and grade_row.grade else None,
        channel=load_channel(inspection.channel),
    )


def hand_off(
    uow: UnitOfWork,
    actor: str,
    device_id: int,
    *,
    marketplace: str = "backmarket",
    market: str = "fr-fr",
    prices: PriceList | None = None,
    products: ProductMap | None = None,
) -> int:
    """Queue an approved device for listing, priced now; the marketplace sender drains the pending listings.

    Without ``prices``/``products`` the station's configured files are used (REFURB_PRICE_LIST, REFURB_PRODUCT_MAP),
    else the packaged examples (demo prices).
    """
    user = require_actor(uow, actor, Action.HAND_OFF)
    device = load_device(uow, device_id)
    listing = queue_listing(uow, user, device, marketplace=marketplace, market=market, prices=prices,
                            products=products)  # fmt: skip
    uow.commit()
    return listing.id


def queue_listing(
    uow: UnitOfWork,
    user: User,
    device: Device,
    *,
    marketplace: str = "backmarket",
    market: str = "fr-fr",
    prices: PriceList | None = None,
    products: ProductMap | None = None,
) -> Listing:
    """Write the outbox row, its audit event and the move to listed in the caller's transaction (no commit):
    `hand_off` commits it alone, `approve(..., list_on=...)` together with the approval."""
    if not may(Role(user.role), Action.HAND_OFF):
        raise PermissionDenied(f"{user.name} ({user.role}) may not {Action.HAND_OFF.value}")
    if device.state != DeviceState.APPROVED.value:
        raise Refused(f"cannot list {device.label}: it is {device.state}, not approved")
    draft = draft_listing(
        _facts(uow, device), prices or load_price_list(), products or load_product_map(), market=market
    )
    if isinstance(draft, ListingRefused):
        raise Refused(draft.reason)
    listing = Listing(
        device_id=device.id,
        marketplace=marketplace,
        sku=draft.sku,
        created_by_id=user.id,
        market=draft.market,
        title=draft.title,
        product_id=draft.product_id,
        grade=draft.grade.value,
        price=draft.price,
        min_price=draft.min_price,
        currency=draft.currency,
        quantity=draft.quantity,
        warranty_months=draft.warranty_months,
        next_attempt_at=utcnow(),
    )
    uow.session.add(listing)
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "listing.queued",
        f"device:{device.id}",
        {"listing": listing.id, "marketplace": marketplace, "market": market, "sku": listing.sku,
         "price": str(draft.price), "currency": draft.currency},
    )  # fmt: skip
    set_state(uow, device, DeviceState.LISTED, user.name, f"queued on {marketplace}")
    return listing


# --- the outbox ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxLine:
    """One SKU's catalog line to send, with the outbox rows it carries."""

    listing_ids: tuple[int, ...]
    sku: str
    market: str
    row: dict[str, str]  # Back Market catalog columns, quantity = every live listing of the SKU
    maybe_sent: bool  # a row was (perhaps) sent and never acknowledged: look it up before sending again
    attempts: int


@dataclass(frozen=True, slots=True)
class AwaitingTask:
    """A batch the marketplace took as ``task_id``: the outbox rows of each SKU it carried."""

    task_id: int
    market: str
    skus: dict[str, tuple[int, ...]]
    attempts: int


@dataclass(frozen=True, slots=True)
class ListingView:
    id: int
    device_id: int
    device: str
    marketplace: str
    market: str
    sku: str
    status: str
    price: Decimal | None
    currency: str | None
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    task_id: int | None
    remote_id: str | None
    created_at: datetime
    acknowledged_at: datetime | None


def _draft(row: Listing, quantity: int) -> ListingDraft:
    if row.price is None or row.min_price is None or row.grade is None or row.product_id is None:
        raise Refused(f"listing #{row.id} ({row.sku}) was queued before prices were kept: hand it off again")
    return ListingDraft(
        sku=row.sku,
        title=row.title or row.sku,
        product_id=row.product_id,
        grade=BackMarketGrade(row.grade),
        price=row.price,
        min_price=row.min_price,
        currency=row.currency or "EUR",
        market=row.market or "fr-fr",
        warranty_months=row.warranty_months or 12,
        quantity=quantity,
    )


def _live_quantities(uow: UnitOfWork, marketplace: str) -> dict[tuple[str, str], int]:
    rows = uow.session.execute(
        sa.select(Listing.market, Listing.sku, sa.func.sum(Listing.quantity))
        .where(Listing.marketplace == marketplace, Listing.status.in_(LIVE))
        .group_by(Listing.market, Listing.sku)
    ).all()
    quantities: dict[tuple[str, str], int] = {}
    for market, sku, total in rows:
        key = (market or "fr-fr", sku.casefold())
        quantities[key] = quantities.get(key, 0) + int(total or 0)
    return quantities


def _grouped(rows: Sequence[Listing]) -> dict[tuple[str, str], list[Listing]]:
    groups: dict[tuple[str, str], list[Listing]] = {}
    for row in rows:
        groups.setdefault((row.market or "fr-fr", row.sku.casefold()), []).append(row)
    return groups


def outbox_due(uow: UnitOfWork, marketplace: str, now: datetime, *, limit: int | None = None) -> list[OutboxLine]:
    """The catalog lines due now, one per (market, SKU), oldest hand-off first; at most ``limit`` lines."""
    rows = (
        uow.session.execute(
            sa.select(Listing)
            .where(
                Listing.marketplace == marketplace,
                Listing.status == PENDING,
                sa.or_(Listing.next_attempt_at.is_(None), Listing.next_attempt_at <= now),
            )
            .order_by(Listing.id)
        )
        .scalars()
        .all()
    )
    quantities = _live_quantities(uow, marketplace)
    lines = []
    for key, group in _grouped(rows).items():
        newest = group[-1]  # the latest hand-off carries the latest price list
        lines.append(
            OutboxLine(
                listing_ids=tuple(row.id for row in group),
                sku=newest.sku,
                market=key[0],
                row=catalog_row(_draft(newest, quantities.get(key, 0))),
                maybe_sent=any(row.sent_at is not None for row in group),
                attempts=max(row.attempts for row in group),
            )
        )
        if limit is not None and len(lines) >= limit:
            break
    return lines


def outbox_awaiting(uow: UnitOfWork, marketplace: str) -> list[AwaitingTask]:
    """Batches the marketplace took and whose task has not been read to its end yet."""
    rows = (
        uow.session.execute(
            sa.select(Listing)
            .where(Listing.marketplace == marketplace, Listing.status == SENT, Listing.task_id.is_not(None))
            .order_by(Listing.task_id, Listing.id)
        )
        .scalars()
        .all()
    )
    tasks: dict[int, list[Listing]] = {}
    for row in rows:
        assert row.task_id is not None
        tasks.setdefault(row.task_id, []).append(row)
    awaiting = []
    for task_id, group in tasks.items():
        skus: dict[str, tuple[int, ...]] = {}
        for row in group:
            skus[row.sku] = (*skus.get(row.sku, ()), row.id)
        awaiting.append(AwaitingTask(task_id, group[0].market or "fr-fr", skus, max(row.attempts for row in group)))
    return awaiting


def _rows(uow: UnitOfWork, listing_ids: Sequence[int]) -> list[Listing]:
    if not listing_ids:
        raise InvalidInput("no listing given")
    rows = uow.session.execute(sa.select(Listing).where(Listing.id.in_(listing_ids))).scalars().all()
    missing = set(listing_ids) - {row.id for row in rows}
    if missing:
        raise NotFound(f"no listing #{min(missing)}")
    return list(rows)


def outbox_mark_attempt(uow: UnitOfWork, listing_ids: Sequence[int], now: datetime) -> None:
    """Committed *before* the request goes out: from here on the rows may have been sent."""
    for row in _rows(uow, listing_ids):
        row.attempts += 1
        row.sent_at = now
    uow.commit()


def outbox_mark_sent(uow: UnitOfWork, listing_ids: Sequence[int], task_id: int) -> None:
    for row in _rows(uow, listing_ids):
        row.status = SENT
        row.task_id = task_id
        row.last_error = None
    uow.commit()


def outbox_mark_listed(uow: UnitOfWork, actor: str, listing_ids: Sequence[int], remote_id: str, now: datetime) -> None:
    user = require_actor(uow, actor, Action.HAND_OFF)
    for row in _rows(uow, listing_ids):
        if row.status == LISTED:
            continue
        row.status = LISTED
        row.remote_id = remote_id
        row.acknowledged_at = now
        row.last_error = None
        row.next_attempt_at = None
        record_event(
            uow, user.name, "listing.listed", f"device:{row.device_id}",
            {"listing": row.id, "sku": row.sku, "remote_id": remote_id, "task": row.task_id},
        )  # fmt: skip
    uow.commit()


def outbox_mark_retry(uow: UnitOfWork, listing_ids: Sequence[int], error: str, next_attempt_at: datetime) -> None:
    """Back to pending, to be sent again from ``next_attempt_at`` (``sent_at`` stays: it may have gone out)."""
    for row in _rows(uow, listing_ids):
        if row.status == LISTED:
            continue
        row.status = PENDING
        row.task_id = None
        row.last_error = error[:_ERROR_MAX]
        row.next_attempt_at = next_attempt_at
    uow.commit()


def outbox_mark_failed(uow: UnitOfWork, actor: str, listing_ids: Sequence[int], error: str) -> None:
    user = require_actor(uow, actor, Action.HAND_OFF)
    for row in _rows(uow, listing_ids):
        if row.status == LISTED:
            continue
        row.status = FAILED
        row.last_error = error[:_ERROR_MAX]
        row.next_attempt_at = None
        record_event(
            uow, user.name, "listing.failed", f"device:{row.device_id}",
            {"listing": row.id, "sku": row.sku, "error": error[:_ERROR_MAX]},
        )  # fmt: skip
    uow.commit()


def listing_status(uow: UnitOfWork, *, marketplace: str | None = None) -> list[ListingView]:
    query = sa.select(Listing, Device).join(Device, Device.id == Listing.device_id).order_by(Listing.id)
    if marketplace:
        query = query.where(Listing.marketplace == marketplace)
    return [
        ListingView(
            id=row.id,
            device_id=row.device_id,
            device=device.label,
            marketplace=row.marketplace,
            market=row.market or "fr-fr",
            sku=row.sku,
            status=row.status,
            price=row.price,
            currency=row.currency,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            task_id=row.task_id,
            remote_id=row.remote_id,
            created_at=row.created_at,
            acknowledged_at=row.acknowledged_at,
        )
        for row, device in uow.session.execute(query).all()
    ]


def catalog(uow: UnitOfWork, *, marketplace: str = "backmarket") -> list[ListingDraft]:
    """The live catalog, one line per (market, SKU) with the devices counted (for the CSV export)."""
    rows = (
        uow.session.execute(
            sa.select(Listing).where(Listing.marketplace == marketplace, Listing.status.in_(LIVE)).order_by(Listing.id)
        )
        .scalars()
        .all()
    )
    return [_draft(group[-1], sum(row.quantity for row in group)) for group in _grouped(rows).values()]
