"""Laptop-agent bundles reach the records: verified, from a trusted station key, taken in once.

The agent (``refurb-station agent``) inspects and erases a laptop, then signs its readings and erasure reports with
its station's Ed25519 key. :func:`import_agent_bundle` checks the signature against a key an admin registered
(:func:`register_station_key`), keeps the signed payload verbatim in ``agent_bundles`` (append-only: the evidence),
and enters what it says through the ordinary services, in ONE transaction (their commits only flush here, so a
refused reading leaves nothing behind). The same bundle again changes nothing and says so; a bundle whose id is
on record with other content is refused as tampering.

How an agent-run laptop goes through the lifecycle (the honest option, chosen on purpose):

- The records never skip a step. ``record_erasure`` still requires a GRADED device: an erasure record is what moves
  a device to ERASED and what its certificate covers, and a device whose locks were never checked or that was never
  graded must not reach ERASED. We do not relax that for laptops.
- The erasure happened, though, and the records must not hide it: the signed reports are kept at import (in the
  bundle, listed in the ``agent_bundle.imported`` audit event with status, method and medium) and become erasure
  records, with the tool's full report and their real start/end times, as soon as the device's pass is GRADED:
  at import when it already is, else later through :func:`record_agent_erasures` (a technician's action once the
  grading is done). Each report becomes at most one erasure record (``agent_bundle_erasures``).
- A laptop the records do not know yet, or one starting a new pass, is registered (``register_device``), gets an
  inspection opened by the importing station, and the agent's readings are recorded into it: each battery, the
  automatic test results the agent can vouch for (``battery`` and ``storage_health``), then the lock status (iCloud
  / MDM as the bundle has them; unknown otherwise, which a technician must then check). The manual steps of the
  laptop test plan are still the bench's job; ``finish_inspection`` says what is missing.
- A laptop whose current pass is already past its readings (inspected, graded or erased: the usual "inspect at the
  bench, then boot the agent to erase" order) is not sent back to the start: the bundle is attached to that pass
  (its readings stay in the bundle; the closed inspection gets none) and its erasures are recorded now if the
  device is graded (or already erased by another disk), or wait for the grading.
- An erasure report from an older pass never counts for a newer one: only bundles attached to the device's last
  inspection are recorded.

Who ran the agent (``operator``, signed in the bundle) is kept apart from who imports it: it is in the import's
audit event, in the result, and in each erasure record's report (as nwipe's "operator"), while the importing user
stays the one the records hold accountable for taking it in. The firmware locks (a supervisor password, Computrace)
are in the lock status like any lock (one found on quarantines the laptop) and also travel by name beside it: they
are in the audit event and in the notes, and one found on, or unknown, is said so to the technician. Bundles of the
first format carried them only beside the lock status: they are folded in.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from sqlalchemy.exc import IntegrityError

from audit.certificates import CertificateError, fingerprint, load_public_key
from audit.chain import canonical_json
from audit.errors import ConcurrentUpdate, InvalidInput, PermissionDenied, Refused
from audit.lifecycle import DeviceState
from audit.models import AgentBundle, AgentBundleErasure, Device, StationKey, User
from audit.readings import (
    BatteryReading,
    DeviceFamily,
    DeviceIdentity,
    ErasureOutcome,
    FunctionalResult,
    LockCheck,
    LockKind,
    LockState,
    LockStatus,
    ReadingError,
)
from audit.roles import Action, Role
from audit.rules.identifiers import IdentifierError, normalize_serial
from audit.rules.laptop_probes import battery_probe, storage_probe
from audit.services._common import last_inspection, load_device, record_event, require_actor
from audit.services.devices import register_device
from audit.services.erasure import record_erasure
from audit.services.inspections import record_reading, start_inspection
from audit.unit_of_work import UnitOfWork

BUNDLE_FORMAT = "refurb-station/agent-bundle/1"
_ATTACH_STATES = frozenset({DeviceState.INSPECTED.value, DeviceState.GRADED.value, DeviceState.ERASED.value})
_RECORD_STATES = frozenset({DeviceState.GRADED.value, DeviceState.ERASED.value})
_STATION_NAME = 64
_BUNDLE_ID = 64
_OPERATOR = 64
_FIRMWARE_LOCK_NAME = 40


@dataclasses.dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did. ``already_imported``: the same bundle was on record, nothing was written."""

    bundle_id: str
    device_id: int
    device_label: str
    device_state: str
    inspection_id: int | None
    already_imported: bool
    readings: int
    erasures_recorded: tuple[int, ...]
    erasures_waiting: int
    notes: tuple[str, ...]
    operator: str | None = None  # who ran the agent, as the bundle says (None: a bundle that does not say)
    firmware_locks: tuple[tuple[str, str], ...] = ()  # (name, state) of the checks beside the lock status


@dataclasses.dataclass(frozen=True, slots=True)
class StationKeyView:
    fingerprint: str
    station: str
    registered_by: str
    registered_at: str


class _InOneTransaction(UnitOfWork):
    """The caller's unit of work as seen by the services it composes: their commits only flush; the caller commits."""

    def __init__(self, outer: UnitOfWork) -> None:  # borrows the caller's session: no factory of its own
        self._outer = outer
        self.session = outer.session

    def touch(self, device: Device) -> None:
        self._outer.touch(device)

    def commit(self) -> None:
        self.session.flush()


# --- trusted keys ----------------------------------------------------------------------------------------------


def register_station_key(uow: UnitOfWork, actor: str, pem: str, station: str) -> str:
    """Trust a station's public key for the bundles it signs (an admin's decision). Returns its fingerprint.

    Registering the same key for the same station again changes nothing; one key cannot stand for two stations.
    """
    user = require_actor(uow, actor, Action.READ)
    if Role(user.role) is not Role.ADMIN:
        raise PermissionDenied(f"{user.name} ({user.role}) may not register station keys: an admin must")
    station = station.strip()
    if not station or len(station) > _STATION_NAME:
        raise InvalidInput(f"invalid station name {station!r}: 1 to {_STATION_NAME} characters")
    try:
        key = load_public_key(pem.strip() + "\n")
    except CertificateError as exc:
        raise InvalidInput(f"cannot register this key: {exc}") from exc
    key_print = fingerprint(key)
    existing = uow.session.execute(
        sa.select(StationKey).where(StationKey.fingerprint == key_print)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.station != station:
            raise Refused(f"key {key_print} is already registered for station {existing.station!r}, not {station!r}")
        return key_print
    uow.session.add(
        StationKey(fingerprint=key_print, public_key_pem=pem.strip() + "\n", station=station, registered_by_id=user.id)
    )
    uow.session.flush()
    record_event(uow, user.name, "station_key.registered", f"station:{station}", {"fingerprint": key_print})
    uow.commit()
    return key_print


def list_station_keys(uow: UnitOfWork) -> tuple[StationKeyView, ...]:
    rows = uow.session.execute(
        sa.select(StationKey, User.name).join(User, User.id == StationKey.registered_by_id).order_by(StationKey.id)
    ).all()
    return tuple(
        StationKeyView(key.fingerprint, key.station, name, key.registered_at.isoformat()) for key, name in rows
    )


# --- reading the bundle ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Content:
    bundle_id: str
    station: str
    identity: DeviceIdentity
    batteries: tuple[BatteryReading, ...]
    functional: tuple[FunctionalResult, ...]
    locks: LockStatus
    firmware_locks: tuple[tuple[str, LockCheck], ...]
    operator: str | None
    erasures: tuple[tuple[ErasureOutcome, Mapping[str, Any] | None], ...]


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"the bundle's {what} is not a record")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"the bundle's {what} is not a list")
    return value


def _identity(inventory: Mapping[str, Any]) -> DeviceIdentity:
    unknown = inventory.get("unknown")
    if not isinstance(unknown, Mapping):
        unknown = {}
    missing = [field for field in ("make", "model", "serial") if not inventory.get(field)]
    if missing:
        reasons = "; ".join(f"{field}: {unknown.get(field) or 'not found'}" for field in missing)
        raise InvalidInput(f"the bundle cannot identify the laptop ({reasons}): identify it at the bench")
    # The agent's own boot stick (USB) is not the laptop's storage.
    internal: list[int] = [
        item["size_bytes"]
        for item in _list(inventory.get("storage"), "storage list")
        if isinstance(item, Mapping) and item.get("transport") != "usb" and isinstance(item.get("size_bytes"), int)
    ]
    try:
        return DeviceIdentity(
            family=DeviceFamily.LAPTOP,
            make=str(inventory["make"]),
            model=str(inventory["model"]),
            model_number=str(inventory["model_number"]) if inventory.get("model_number") else None,
            serial=str(inventory["serial"]),
            storage_bytes=sum(internal) or None,
            hardware_id=str(inventory["uuid"]) if inventory.get("uuid") else None,
        )
    except ReadingError as exc:
        raise InvalidInput(f"the bundle's laptop identity is invalid: {exc}") from exc


def _locks(value: Any, station: str, *, beside: Sequence[tuple[str, LockCheck]] = ()) -> LockStatus:
    """The lock status; bundles of the first format carried the firmware locks only ``beside`` it: folded in."""
    source = f"agent bundle ({station})"
    if value is None and not beside:
        return LockStatus(source=source + ": not checked by the agent")
    record = _mapping(value, "lock status") if value is not None else {}
    checks: dict[str, LockCheck] = {}
    for kind in LockKind:
        if kind.value in record:
            checks[kind.value] = LockCheck.from_record(_mapping(record[kind.value], f"{kind.value} lock"))
    kinds = {kind.value for kind in LockKind}
    for name, check in beside:
        if name in kinds and name not in checks:
            checks[name] = check
    return LockStatus(source=str(record.get("source") or source), **checks)


def _firmware_locks(value: Any) -> tuple[tuple[str, LockCheck], ...]:
    if value is None:
        return ()
    record = _mapping(value, "firmware lock list")
    checks = []
    for name, check in sorted(record.items()):
        if not isinstance(name, str) or not name.strip() or len(name) > _FIRMWARE_LOCK_NAME:
            raise InvalidInput(f"the bundle names a firmware lock {name!r} that is not valid")
        checks.append((name, LockCheck.from_record(_mapping(check, f"{name} lock"))))
    return tuple(checks)


def _operator(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > _OPERATOR:
        raise InvalidInput(f"the bundle's operator {value!r} is not valid: 1 to {_OPERATOR} characters")
    return value.strip()


def _content(bundle: Mapping[str, Any]) -> _Content:
    if bundle.get("format") != BUNDLE_FORMAT:
        raise InvalidInput("this is not a Refurb Station agent bundle")
    bundle_id = bundle.get("bundle_id")
    if not isinstance(bundle_id, str) or not bundle_id.strip() or len(bundle_id) > _BUNDLE_ID:
        raise InvalidInput(f"the bundle's id {bundle_id!r} is not valid")
    station = bundle.get("station")
    if not isinstance(station, str) or not station.strip():
        raise InvalidInput("the bundle does not say which station made it")
    inspection = _mapping(bundle.get("inspection"), "inspection")
    problems = [str(p) for p in _list(inspection.get("problems"), "problem list")]
    try:
        batteries = tuple(
            BatteryReading.from_record({k: v for k, v in _mapping(b, "battery").items() if k != "soh_percent"})
            for b in _list(inspection.get("batteries"), "battery list")
        )
        functional = tuple(
            t
            for t in (battery_probe(batteries, problems), storage_probe(_list(inspection.get("disks"), "disk list")))
            if t is not None
        )
        firmware_locks = _firmware_locks(inspection.get("firmware_locks"))
        locks = _locks(inspection.get("locks"), station, beside=firmware_locks)
        erasures = []
        for item in _list(bundle.get("erasures"), "erasure list"):
            entry = _mapping(item, "erasure")
            report = entry.get("report")
            erasures.append(
                (
                    ErasureOutcome.from_record(_mapping(entry.get("outcome"), "erasure outcome")),
                    _mapping(report, "erasure report") if report is not None else None,
                )
            )
    except (ReadingError, ValueError, TypeError) as exc:
        raise InvalidInput(f"the bundle holds a reading that cannot be true: {exc}") from exc
    return _Content(
        bundle_id=bundle_id,
        station=station,
        identity=_identity(_mapping(inspection.get("inventory"), "inventory")),
        batteries=batteries,
        functional=functional,
        locks=locks,
        firmware_locks=firmware_locks,
        operator=_operator(bundle.get("operator")),
        erasures=tuple(erasures),
    )


def _verify(uow: UnitOfWork, payload: str, signature: str, public_key_pem: str) -> StationKey:
    try:
        key = load_public_key(public_key_pem)
    except CertificateError as exc:
        raise InvalidInput(f"the bundle's public key cannot be read: {exc}") from exc
    key_print = fingerprint(key)
    trusted = uow.session.execute(sa.select(StationKey).where(StationKey.fingerprint == key_print)).scalar_one_or_none()
    if trusted is None:
        raise Refused(
            f"the bundle is signed with key {key_print}, which this database does not trust: an admin registers "
            "the agent station's key with `refurb-station agent trust-key PEM --station NAME`"
        )
    try:
        key.verify(base64.b64decode(signature, validate=True), payload.encode("utf-8"))
    except (InvalidSignature, ValueError) as exc:
        raise Refused("the bundle's signature does not match its content: it was altered after signing") from exc
    return trusted


# --- the use cases ---------------------------------------------------------------------------------------------


def import_agent_bundle(
    uow: UnitOfWork,
    actor: str,
    bundle: Mapping[str, Any],
    signature: str,
    public_key_pem: str,
    *,
    station: str,
) -> ImportResult:
    """Take a signed agent bundle into the records, once. ``bundle`` is the signed content (the parsed payload);
    ``station`` is the importing station, where the inspection is opened. See the module's docstring for the
    lifecycle."""
    user = require_actor(uow, actor, Action.INSPECT)
    payload = canonical_json(dict(bundle))
    trusted = _verify(uow, payload, signature, public_key_pem)
    content = _content(bundle)
    if content.station != trusted.station:
        raise Refused(
            f"the bundle says it comes from station {content.station!r} but is signed with the key of "
            f"station {trusted.station!r}"
        )
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    existing = uow.session.execute(
        sa.select(AgentBundle).where(AgentBundle.bundle_id == content.bundle_id)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.payload_sha256 != digest:
            raise Refused(
                f"bundle {content.bundle_id} is already on record with other content: this copy was altered "
                "(tampering) and is refused"
            )
        return _already(uow, existing)

    inner = _InOneTransaction(uow)
    notes: list[str] = [
        f"agent run by {content.operator}" if content.operator else "the bundle does not say who ran the agent"
    ]
    notes.extend(_firmware_notes(content.firmware_locks))
    readings = 0
    device = _attachable(uow, content.identity)
    if device is not None:
        inspection_id: int | None = last_inspection(uow, device).id
        notes.append(
            f"the device is {device.state} in its current pass: the bundle is attached to inspection "
            f"#{inspection_id}, its readings stay in the bundle"
        )
    else:
        device_id = register_device(inner, user.name, content.identity)
        device = load_device(uow, device_id)
        inspection_id = None
        if device.state == DeviceState.IDENTIFIED.value:
            inspection_id = start_inspection(inner, user.name, device.id, station=station)
            # Locks last: a lock found on quarantines the device and closes the inspection.
            agent_readings: list[BatteryReading | FunctionalResult | LockStatus] = [
                *content.batteries,
                *content.functional,
                content.locks,
            ]
            for reading in agent_readings:
                record_reading(inner, user.name, inspection_id, reading)
                readings += 1
            if device.state == DeviceState.QUARANTINED.value:
                notes.append(f"quarantined: {device.state_reason}")
        else:
            notes.append(f"the device is {device.state} ({device.state_reason}): only the bundle was recorded")
    row = AgentBundle(
        bundle_id=content.bundle_id,
        payload_sha256=digest,
        payload=payload,
        signature=signature,
        key_fingerprint=trusted.fingerprint,
        station=content.station,
        device_id=device.id,
        inspection_id=inspection_id,
        erasure_count=len(content.erasures),
        imported_by_id=user.id,
    )
    uow.session.add(row)
    try:
        uow.session.flush()
    except IntegrityError as exc:
        raise ConcurrentUpdate(f"another station imported bundle {content.bundle_id} at the same moment") from exc
    record_event(
        uow,
        user.name,
        "agent_bundle.imported",
        f"device:{device.id}",
        {
            "bundle": content.bundle_id,
            "sha256": digest,
            "key": trusted.fingerprint,
            "station": content.station,
            "operator": content.operator,
            "inspection": inspection_id,
            "firmware_locks": {name: check.as_record() for name, check in content.firmware_locks},
            "erasures": [
                {"status": o.status.value, "method": o.method, "nist": o.nist_level.value, "media": o.media}
                for o, _report in content.erasures
            ],
        },
    )
    recorded: tuple[int, ...] = ()
    if device.state in _RECORD_STATES and inspection_id is not None:
        recorded = _record_waiting(uow, user.name, device)
    waiting = len(_waiting(uow, device)) if inspection_id is not None else len(content.erasures)
    uow.commit()
    if waiting:
        notes.append(f"{waiting} erasure(s) wait for the device to be graded (then: record the agent's erasures)")
    return ImportResult(
        bundle_id=content.bundle_id,
        device_id=device.id,
        device_label=device.label,
        device_state=device.state,
        inspection_id=inspection_id,
        already_imported=False,
        readings=readings,
        erasures_recorded=recorded,
        erasures_waiting=waiting,
        notes=tuple(notes),
        operator=content.operator,
        firmware_locks=tuple((name, check.state.value) for name, check in content.firmware_locks),
    )


def _firmware_notes(checks: Sequence[tuple[str, LockCheck]]) -> list[str]:
    notes = []
    for name, check in checks:
        label = name.replace("_", " ")
        evidence = f" ({check.evidence})" if check.evidence else ""
        if check.state is LockState.ON:
            notes.append(f"{label} is set{evidence}: the owner must remove it before the laptop is sold")
        elif check.state is LockState.UNKNOWN:
            notes.append(f"{label} not checked by the agent{evidence}: check it at the bench")
    return notes


def record_agent_erasures(uow: UnitOfWork, actor: str, device_id: int) -> tuple[int, ...]:
    """Record the erasure reports waiting in the device's agent bundles (of its current pass), now it is graded.

    Returns the new erasure records' ids (none when nothing waits). Each report is recorded once, with the tool's
    full report, through ``record_erasure``: the first success makes the device erased.
    """
    user = require_actor(uow, actor, Action.ERASE)
    device = load_device(uow, device_id)
    waiting = _waiting(uow, device)
    if not waiting:
        return ()
    if device.state not in _RECORD_STATES:
        raise Refused(
            f"{device.label} is {device.state}: its {len(waiting)} agent erasure(s) are recorded once it is graded"
        )
    recorded = _record_waiting(uow, user.name, device)
    uow.commit()
    return recorded


def _attachable(uow: UnitOfWork, identity: DeviceIdentity) -> Device | None:
    """The device, when its current pass is past its readings (the bundle then joins that pass)."""
    try:
        serial = normalize_serial(identity.serial or "")
    except IdentifierError as exc:
        raise InvalidInput(f"the bundle's serial number is not valid: {exc}") from exc
    device = uow.session.execute(sa.select(Device).where(Device.serial == serial)).scalar_one_or_none()
    if device is None or device.state not in _ATTACH_STATES or device.family != DeviceFamily.LAPTOP.value:
        return None
    uow.touch(device)
    return device


def _waiting(uow: UnitOfWork, device: Device) -> list[tuple[AgentBundle, int]]:
    try:
        inspection = last_inspection(uow, device)
    except Refused:
        return []
    bundles = (
        uow.session.execute(
            sa.select(AgentBundle)
            .where(AgentBundle.device_id == device.id, AgentBundle.inspection_id == inspection.id)
            .order_by(AgentBundle.id)
        )
        .scalars()
        .all()
    )
    done = {
        (row.bundle_id, row.position)
        for row in uow.session.execute(
            sa.select(AgentBundleErasure).where(AgentBundleErasure.bundle_id.in_([b.id for b in bundles]))
        ).scalars()
    }
    return [(b, i) for b in bundles for i in range(b.erasure_count) if (b.id, i) not in done]


def _record_waiting(uow: UnitOfWork, actor: str, device: Device) -> tuple[int, ...]:
    inner = _InOneTransaction(uow)
    recorded = []
    for bundle, position in _waiting(uow, device):
        signed = json.loads(bundle.payload)
        entry = signed["erasures"][position]
        outcome = ErasureOutcome.from_record(entry["outcome"])
        report = entry.get("report")
        operator = _operator(signed.get("operator"))  # checked at import: valid
        if isinstance(report, Mapping) and operator and not report.get("operator"):
            report = {**report, "operator": operator}  # who ran the agent, as the signed bundle says
        erasure_id = record_erasure(inner, actor, device.id, outcome, report=report)
        uow.session.add(AgentBundleErasure(bundle_id=bundle.id, position=position, erasure_id=erasure_id))
        uow.session.flush()
        recorded.append(erasure_id)
    return tuple(recorded)


def _already(uow: UnitOfWork, row: AgentBundle) -> ImportResult:
    device = load_device(uow, row.device_id)
    recorded = tuple(
        uow.session.execute(
            sa.select(AgentBundleErasure.erasure_id)
            .where(AgentBundleErasure.bundle_id == row.id)
            .order_by(AgentBundleErasure.position)
        ).scalars()
    )
    operator = _operator(json.loads(row.payload).get("operator"))  # checked when it was imported
    return ImportResult(
        bundle_id=row.bundle_id,
        device_id=device.id,
        device_label=device.label,
        device_state=device.state,
        inspection_id=row.inspection_id,
        already_imported=True,
        readings=0,
        erasures_recorded=recorded,
        erasures_waiting=row.erasure_count - len(recorded),
        notes=(
            f"bundle {row.bundle_id} was already imported on {row.imported_at:%Y-%m-%d %H:%M} UTC: nothing changed",
        ),
        operator=operator,
    )
