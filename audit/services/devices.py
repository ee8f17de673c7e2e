"""Finding and registering devices; quarantine and release."""

from __future__ import annotations

import contextlib

from sqlalchemy.exc import IntegrityError

from audit.errors import ConcurrentUpdate, IdentityConflict, InvalidInput, NotFound, Refused
from audit.lifecycle import DeviceState
from audit.models import (
    Device,
    utcnow,
)
from audit.readings import (
    DeviceIdentity,
)
from audit.roles import Action
from audit.rules.identifiers import classify_identifier
from audit.services._common import (
    devices_matching,
    identity_mismatch,
    load_device,
    normalized_identifiers,
    record_event,
    require_actor,
    set_state,
)
from audit.unit_of_work import UnitOfWork


def find_device(uow: UnitOfWork, identifier: str) -> Device:
    """The device an IMEI, serial number or ``#id`` names."""
    text = identifier.strip()
    if text.startswith("#") and text[1:].isdigit():
        device = uow.session.get(Device, int(text[1:]))
    else:
        candidates = {text.upper()}
        with contextlib.suppress(ValueError):  # not a valid identifier: only the literal text can match
            candidates.add(classify_identifier(text)[1])
        found = devices_matching(uow, candidates, candidates)
        if len(found) > 1:
            raise IdentityConflict(
                f"{identifier!r} names several devices (" + ", ".join(d.label for d in found) + "): use #id"
            )
        device = found[0] if found else None
    if device is None:
        raise NotFound(f"no device with IMEI or serial {identifier!r}")
    return device


def register_device(uow: UnitOfWork, actor: str, identity: DeviceIdentity) -> int:
    """A device reached the bench and said who it is: find or create its record and mark it identified.

    A device whose IMEI and serial belong to two different records, or whose serial no longer matches the one on
    record for its IMEI, is quarantined (identity mismatch) rather than merged.
    """
    user = require_actor(uow, actor, Action.REGISTER_DEVICE)
    try:
        imeis, serial = normalized_identifiers(identity)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    matches = devices_matching(uow, imeis, [serial] if serial else [])
    if len(matches) > 1:
        raise IdentityConflict(
            "this device's identifiers belong to several records ("
            + ", ".join(d.label for d in matches)
            + "): an auditor must resolve it"
        )
    if matches:
        device = matches[0]
        uow.touch(device)
        mismatch = identity_mismatch(device, imeis, serial)
        if mismatch:
            if device.state != DeviceState.QUARANTINED.value:
                set_state(uow, device, DeviceState.QUARANTINED, user.name, f"identity mismatch: {mismatch}")
            uow.commit()
            return device.id
        target = DeviceState.IDENTIFIED
        if device.state != DeviceState.IDENTIFIED.value:
            set_state(uow, device, target, user.name, "back on the bench")
    else:
        device = Device(
            family=identity.family.value,
            make=identity.make,
            model=identity.model,
            model_number=identity.model_number,
            serial=serial,
            imei=imeis[0] if imeis else None,
            imei2=imeis[1] if len(imeis) > 1 else None,
            hardware_id=identity.hardware_id,
            storage_bytes=identity.storage_bytes,
            colour=identity.colour,
            state=DeviceState.CONNECTED.value,
            updated_by=user.name,
        )
        uow.session.add(device)
        try:
            uow.session.flush()
        except IntegrityError as exc:
            raise ConcurrentUpdate("another station registered this device at the same moment: retry") from exc
        record_event(uow, user.name, "device.registered", f"device:{device.id}", {"identity": identity.as_record()})
        set_state(uow, device, DeviceState.IDENTIFIED, user.name, "identified")
    uow.commit()
    return device.id


def quarantine(uow: UnitOfWork, actor: str, device_id: int, reason: str) -> None:
    user = require_actor(uow, actor, Action.QUARANTINE)
    if not reason.strip():
        raise InvalidInput("say why the device is quarantined")
    device = load_device(uow, device_id)
    set_state(uow, device, DeviceState.QUARANTINED, user.name, reason.strip())
    uow.commit()


def release(uow: UnitOfWork, actor: str, device_id: int, reason: str) -> None:
    """The lock is gone (owner removed it) or the mismatch is explained: the device starts a new pass."""
    user = require_actor(uow, actor, Action.RELEASE)
    if not reason.strip():
        raise InvalidInput("say why the device is released")
    device = load_device(uow, device_id)
    if device.state != DeviceState.QUARANTINED.value:
        raise Refused(f"{device.label} is {device.state}, not quarantined")
    set_state(uow, device, DeviceState.IDENTIFIED, user.name, f"released: {reason.strip()}")
    uow.commit()


_EDITABLE_AFTER_LISTING = frozenset({DeviceState.LISTED.value})


def set_colour(
    uow: UnitOfWork, actor: str, device_id: int, colour: str, *, expected_version: int | None = None
) -> None:
    """Record the colour the technician sees (devices often do not report it; the marketplace product needs it)."""
    user = require_actor(uow, actor, Action.INSPECT)
    colour = " ".join(colour.split())
    if not colour or len(colour) > 64:
        raise InvalidInput("a colour is 1 to 64 characters, e.g. 'Blue' or 'Space Grey'")
    device = load_device(uow, device_id, expected_version)
    if device.state in _EDITABLE_AFTER_LISTING:
        raise Refused(f"{device.label} is already listed: its listing would no longer match")
    before = device.colour
    if before == colour:
        return
    device.colour = colour
    device.updated_by = user.name
    device.updated_at = utcnow()
    record_event(uow, user.name, "device.colour", f"device:{device.id}", {"from": before, "to": colour})
    uow.commit()
