"""Hand-off of approved devices to a marketplace (the listings outbox)."""

from __future__ import annotations

import sqlalchemy as sa

from audit.errors import Refused
from audit.lifecycle import DeviceState
from audit.models import (
    BatteryRecord,
    Device,
    GradeRecord,
    Listing,
)
from audit.readings import (
    BatteryReading,
    DeviceFamily,
)
from audit.roles import Action
from audit.rules.battery import BatteryVerdict, assess_battery
from audit.rules.channels import load_channel
from audit.services._common import (
    assert_not_locked,
    last_inspection,
    latest_reading,
    load_device,
    record_event,
    require_actor,
    set_state,
)
from audit.unit_of_work import UnitOfWork


def hand_off(uow: UnitOfWork, actor: str, device_id: int, *, marketplace: str = "backmarket") -> int:
    """Queue an approved device for listing (the marketplace driver drains the pending listings)."""
    user = require_actor(uow, actor, Action.HAND_OFF)
    device = load_device(uow, device_id)
    if device.state != DeviceState.APPROVED.value:
        raise Refused(f"cannot list {device.label}: it is {device.state}, not approved")
    inspection = last_inspection(uow, device)
    assert_not_locked(uow, device, inspection, "list")
    battery_row = latest_reading(uow, BatteryRecord, inspection.id)
    channel = load_channel(inspection.channel)
    battery = assess_battery(BatteryReading.from_record(battery_row.data), DeviceFamily(device.family), channel)
    if battery.verdict is not BatteryVerdict.SELLABLE:
        raise Refused(f"cannot list {device.label}: battery {battery.verdict.value} for {channel.label}")
    grade = uow.session.execute(
        sa.select(GradeRecord).where(GradeRecord.device_id == device.id).order_by(GradeRecord.id.desc()).limit(1)
    ).scalar_one()
    listing = Listing(
        device_id=device.id,
        marketplace=marketplace,
        sku=listing_sku(device, grade.grade or ""),
        created_by_id=user.id,
    )
    uow.session.add(listing)
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "listing.queued",
        f"device:{device.id}",
        {"listing": listing.id, "marketplace": marketplace, "sku": listing.sku},
    )
    set_state(uow, device, DeviceState.LISTED, user.name, f"queued on {marketplace}")
    uow.commit()
    return listing.id


def listing_sku(device: Device, grade: str) -> str:
    """MODEL-STORAGE-COLOUR-GRADE in upper case, spaces as dashes: stable for the same kind of device."""
    storage = f"{round(device.storage_bytes / 1e9)}GB" if device.storage_bytes else "NA"
    parts = [device.model, storage, device.colour or "NA", grade or "NA"]
    return "-".join("".join(ch if ch.isalnum() else "-" for ch in part.upper()).strip("-") for part in parts)
