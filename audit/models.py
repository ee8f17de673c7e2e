"""The station's records (SQLAlchemy 2 ORM).

Readings, audit events, erasures and certificates are append-only: the ORM refuses to update or delete them, and
the hash chain over the audit events (see :mod:`audit.chain`) detects anyone who does it behind the ORM's back.
Devices and lots carry a version column, so two stations editing one device never lose an update silently.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ImmutableRecordError(RuntimeError):
    """Somebody tried to change or delete a record that may only ever be added."""


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (which has no time zones) as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the station stores UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: sa.JSON(), Decimal: sa.Numeric(12, 2)}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Lot(Base):
    """A trade-in batch received against a partner's quote."""

    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(64), unique=True)
    partner: Mapped[str] = mapped_column(sa.String(128))
    channel: Mapped[str] = mapped_column(sa.String(32))
    quoted_on: Mapped[date]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(default=1)

    items: Mapped[list[LotItem]] = relationship(back_populates="lot", order_by="LotItem.line_no")

    __mapper_args__ = {"version_id_col": version_id}


class LotItem(Base):
    """One quoted line of a lot: what the partner declared, and once audited, what the station found."""

    __tablename__ = "lot_items"
    __table_args__ = (sa.UniqueConstraint("lot_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lots.id"), index=True)
    line_no: Mapped[int]
    declared_model: Mapped[str] = mapped_column(sa.String(128))
    declared_storage_gb: Mapped[int | None]
    declared_grade: Mapped[str] = mapped_column(sa.String(16))
    declared_identifier: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    declared_has_charger: Mapped[bool | None]
    quoted_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(sa.String(3))
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("devices.id"), unique=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    adjusted_price: Mapped[Decimal | None]
    reasons: Mapped[list[str] | None] = mapped_column(sa.JSON)

    lot: Mapped[Lot] = relationship(back_populates="items")


class Device(Base):
    """One physical device, unique by IMEI or by serial number."""

    __tablename__ = "devices"
    # The auditor desk lists devices newest activity first and pages by (updated_at, id).
    __table_args__ = (
        sa.Index("ix_devices_updated_at", "updated_at", "id"),
        # A state filter (the desk's "certified", "quarantined"...) read already in page order.
        sa.Index("ix_devices_state_updated_at", "state", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[str] = mapped_column(sa.String(16))
    make: Mapped[str] = mapped_column(sa.String(64))
    model: Mapped[str] = mapped_column(sa.String(128))
    model_number: Mapped[str | None] = mapped_column(sa.String(64))
    serial: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    imei: Mapped[str | None] = mapped_column(sa.String(15), unique=True)
    imei2: Mapped[str | None] = mapped_column(sa.String(15), unique=True)
    hardware_id: Mapped[str | None] = mapped_column(sa.String(128), index=True)
    storage_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    colour: Mapped[str | None] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    state_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(sa.String(64))
    version_id: Mapped[int] = mapped_column(default=1)

    inspections: Mapped[list[Inspection]] = relationship(
        back_populates="device", order_by="Inspection.id", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def label(self) -> str:
        ident = self.imei or self.serial or f"#{self.id}"
        return f"{self.make} {self.model} ({ident})"


class Inspection(Base):
    """One pass of a device at the bench."""

    __tablename__ = "inspections"
    # Covers "devices this technician inspected" (the auditor desk's filter and its count) without reading the rows.
    __table_args__ = (sa.Index("ix_inspections_technician_device", "technician_id", "device_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    station: Mapped[str] = mapped_column(sa.String(64))
    technician_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    outcome: Mapped[dict[str, Any] | None]

    device: Mapped[Device] = relationship(back_populates="inspections")
    technician: Mapped[User] = relationship()


class _ReadingColumns:
    """Columns every reading row has. ``data`` holds the whole reading exactly as the driver returned it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    data: Mapped[dict[str, Any]]


class IdentityRecord(_ReadingColumns, Base):
    __tablename__ = "identity_readings"

    source: Mapped[str] = mapped_column(sa.String(64))


class BatteryRecord(_ReadingColumns, Base):
    __tablename__ = "battery_readings"

    source: Mapped[str] = mapped_column(sa.String(64))
    soh_percent: Mapped[float | None]
    cycle_count: Mapped[int | None]
    verdict: Mapped[str] = mapped_column(sa.String(16))


class LockRecord(_ReadingColumns, Base):
    __tablename__ = "lock_readings"

    source: Mapped[str] = mapped_column(sa.String(64))
    verdict: Mapped[str] = mapped_column(sa.String(16))


class FunctionalRecord(_ReadingColumns, Base):
    __tablename__ = "functional_results"

    test_id: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[str] = mapped_column(sa.String(16))


class DefectRecord(_ReadingColumns, Base):
    __tablename__ = "cosmetic_defects"

    zone: Mapped[str] = mapped_column(sa.String(16))
    severity: Mapped[str] = mapped_column(sa.String(16))


class GradeRecord(Base):
    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    grade: Mapped[str | None] = mapped_column(sa.String(16))
    ctia: Mapped[str] = mapped_column(sa.String(2))
    sellable: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.String(500))
    rubric_version: Mapped[str] = mapped_column(sa.String(32))
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class ErasureRecord(Base):
    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    performed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    method: Mapped[str] = mapped_column(sa.String(200))
    nist_level: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]


class CertificateRecord(Base):
    __tablename__ = "certificates"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    erasure_id: Mapped[int] = mapped_column(sa.ForeignKey("erasures.id"), unique=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    payload: Mapped[str] = mapped_column(sa.Text)
    signature: Mapped[str] = mapped_column(sa.String(256))
    key_fingerprint: Mapped[str] = mapped_column(sa.String(64))


class ReviewRecord(Base):
    """An auditor's sign-off or rejection of one inspection."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    auditor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str] = mapped_column(sa.String(500))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class Listing(Base):
    """A hand-off to a marketplace; the marketplace sender drains the pending ones (the outbox).

    One row per device. ``status``: pending (to send, from ``next_attempt_at``), sent (the marketplace took the
    batch as task ``task_id``), listed (acknowledged: visible on the marketplace as ``remote_id``), failed (refused for
    good, ``last_error`` says why). ``sent_at`` set while unacknowledged means "may have been sent": the sender asks
    the marketplace before sending again, so a crash between send and acknowledgement never lists twice.
    """

    __tablename__ = "listings"
    __table_args__ = (sa.UniqueConstraint("device_id", "marketplace"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    marketplace: Mapped[str] = mapped_column(sa.String(32))
    sku: Mapped[str] = mapped_column(sa.String(128), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(default=1)
    # What is offered (fixed at hand-off, so that a dry run shows exactly what will be sent).
    market: Mapped[str | None] = mapped_column(sa.String(8))
    title: Mapped[str | None] = mapped_column(sa.String(200))
    product_id: Mapped[str | None] = mapped_column(sa.String(64))
    grade: Mapped[str | None] = mapped_column(sa.String(16))
    price: Mapped[Decimal | None]
    min_price: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    quantity: Mapped[int] = mapped_column(default=1, server_default="1")
    warranty_months: Mapped[int | None]
    # The outbox's bookkeeping.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    task_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    remote_id: Mapped[str | None] = mapped_column(sa.String(64))
    sent_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version_id}


class Photo(Base):
    """A photo of a device (intake / RMA views, or a defect), stored by content hash under the data directory."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    view: Mapped[str] = mapped_column(sa.String(16))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    path: Mapped[str] = mapped_column(sa.String(255))  # relative to the station's data directory, '/'-separated
    taken_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class StationKey(Base):
    """A station's Ed25519 public key, trusted for what it signs (agent bundles); registered by an admin."""

    __tablename__ = "station_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64), unique=True)
    public_key_pem: Mapped[str] = mapped_column(sa.Text)
    station: Mapped[str] = mapped_column(sa.String(64))
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentBundle(Base):
    """A laptop agent's signed bundle, taken in once: kept verbatim (payload + signature) as the evidence."""

    __tablename__ = "agent_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    payload_sha256: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[str] = mapped_column(sa.Text)
    signature: Mapped[str] = mapped_column(sa.String(256))
    key_fingerprint: Mapped[str] = mapped_column(sa.String(64), sa.ForeignKey("station_keys.fingerprint"), index=True)
    station: Mapped[str] = mapped_column(sa.String(64))
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspections.id"), index=True)
    erasure_count: Mapped[int]
    imported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentBundleErasure(Base):
    """Which erasure record one erasure report of a bundle became (reports wait until the device is graded)."""

    __tablename__ = "agent_bundle_erasures"
    __table_args__ = (sa.UniqueConstraint("bundle_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int] = mapped_column(sa.ForeignKey("agent_bundles.id"))
    position: Mapped[int]
    erasure_id: Mapped[int] = mapped_column(sa.ForeignKey("erasures.id"), unique=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """One link of the append-only, hash-chained audit trail."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(sa.String(64), index=True)
    action: Mapped[str] = mapped_column(sa.String(48), index=True)
    subject: Mapped[str] = mapped_column(sa.String(64), index=True)
    payload: Mapped[str] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class ChainHead(Base):
    """The last link of the chain, updated with every event: deleting the newest events cannot go unnoticed."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(sa.String(64))


APPEND_ONLY: tuple[type[Base], ...] = (
    IdentityRecord,
    BatteryRecord,
    LockRecord,
    FunctionalRecord,
    DefectRecord,
    GradeRecord,
    ErasureRecord,
    CertificateRecord,
    ReviewRecord,
    Photo,
    StationKey,
    AgentBundle,
    AgentBundleErasure,
    AuditEvent,
)


def _refuse_change(_mapper: Mapper[Any], _connection: sa.Connection, target: Base) -> None:
    raise ImmutableRecordError(f"{type(target).__name__} records are append-only: add a new one instead")


for _model in APPEND_ONLY:
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)
