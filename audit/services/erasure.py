"""Erasures and their signed certificates."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from audit.certificates import Signer, certificate_payload
from audit.chain import canonical_json
from audit.errors import Refused
from audit.lifecycle import DeviceState
from audit.models import (
    CertificateRecord,
    Device,
    ErasureRecord,
    User,
    utcnow,
)
from audit.readings import (
    DeviceFamily,
    ErasureOutcome,
)
from audit.roles import Action
from audit.services._common import (
    last_inspection,
    load_device,
    record_event,
    require_actor,
    set_state,
)
from audit.unit_of_work import UnitOfWork

_REPORT_COUNTS = (
    "bytes_written",
    "bytes_verified",
    "rounds",
    "prng",
    "write_rate",
    "verify_rate",
    "pass_errors",
    "sync_errors",
    "verify_errors",
    "hpa_dco",
    "commands",
)


def record_erasure(
    uow: UnitOfWork,
    actor: str,
    device_id: int,
    outcome: ErasureOutcome,
    *,
    report: Mapping[str, Any] | None = None,
) -> int:
    """Record one medium's erasure; only a successful one moves the device on. A failure is kept, never hidden.

    ``report`` is the erasure tool's full report (nwipe's fields: media, rounds, seed, rates, error counts, HPA/DCO,
    commands), kept as it came. A laptop with several disks records one erasure per disk: the first success makes
    the device erased, the others are added to the same pass, and the certificate covers every erased medium.
    """
    user = require_actor(uow, actor, Action.ERASE)
    device = load_device(uow, device_id)
    if device.state not in (DeviceState.GRADED.value, DeviceState.ERASED.value):
        raise Refused(f"cannot record an erasure for {device.label}: it is {device.state}, not graded")
    inspection = last_inspection(uow, device)
    data = outcome.as_record()
    if report is not None:
        data["report"] = json.loads(canonical_json(dict(report)))  # JSON-safe, exactly as stored and signed
    record = ErasureRecord(
        device_id=device.id,
        inspection_id=inspection.id,
        performed_by_id=user.id,
        method=outcome.method[:200],
        nist_level=outcome.nist_level.value,
        status=outcome.status.value,
        started_at=outcome.started_at,
        finished_at=outcome.finished_at,
        data=data,
    )
    uow.session.add(record)
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "erasure.recorded",
        f"device:{device.id}",
        {
            "erasure": record.id,
            "status": outcome.status.value,
            "method": outcome.method,
            "nist": outcome.nist_level.value,
            "media": outcome.media,
        },
    )
    if outcome.succeeded and device.state == DeviceState.GRADED.value:
        set_state(uow, device, DeviceState.ERASED, user.name, outcome.method)
    uow.commit()
    return record.id


def _medium(device: Device, erasure: ErasureRecord) -> dict[str, Any]:
    """Appendix G's media fields: from the erasure tool's report where it has one, else from the device record."""
    data = erasure.data
    reported = (data.get("report") or {}).get("media") or {}
    embedded = DeviceFamily(device.family) is not DeviceFamily.LAPTOP
    return {
        "manufacturer": reported.get("manufacturer") or device.make,
        "model": reported.get("model") or device.model,
        "model_number": device.model_number if embedded else None,
        "serial": reported.get("serial") or (device.serial if embedded else None),
        "imei": device.imei if embedded else None,
        "type": reported.get("kind") or ("flash memory (embedded)" if embedded else "disk"),
        "bus": reported.get("bus"),
        "size_bytes": reported.get("size_bytes"),
        "source": data.get("media") or "",
    }


def _sanitization(erasure: ErasureRecord) -> dict[str, Any]:
    data = erasure.data
    report = data.get("report") or {}
    return {
        "erasure_id": erasure.id,
        "category": erasure.nist_level,
        "method": erasure.method,
        "tool": data.get("tool"),
        "tool_version": data.get("tool_version"),
        "verification": data.get("verification"),
        "verification_result": data.get("verification_result"),
        "started_at": data.get("started_at"),
        "finished_at": data.get("finished_at"),
        "status": erasure.status,
        "bytes_erased": data.get("bytes_erased"),
        "errors": data.get("errors") or [],
        **{key: report[key] for key in _REPORT_COUNTS if key in report},
    }


def _person(erasure: ErasureRecord, recorder: User | None) -> dict[str, str]:
    """Appendix G's "name of person": who ran the erasure. A laptop agent's operator ran it, not who imported it."""
    recorded = f"{recorder.name}, {recorder.role}" if recorder else "?"
    operator = ((erasure.data.get("report") or {}).get("operator") or "").strip()
    if operator:
        return {"name": operator, "role": f"agent operator; recorded by {recorded}"}
    return {"name": recorder.name if recorder else "?", "role": recorder.role if recorder else "?"}


def issue_certificate(
    uow: UnitOfWork,
    actor: str,
    device_id: int,
    signer: Signer,
    *,
    station: str,
    location: str = "",
    destination: str = "resale",
) -> str:
    """Sign the certificate of the device's erasure (NIST SP 800-88 Appendix G fields, with nwipe's counts).

    It covers every medium erased successfully in the device's last pass: one phone, or each disk of a laptop.
    """
    user = require_actor(uow, actor, Action.CERTIFY)
    device = load_device(uow, device_id)
    if device.state != DeviceState.ERASED.value:
        raise Refused(f"cannot certify {device.label}: it is {device.state}, not erased")
    inspection = last_inspection(uow, device)
    erasures = (
        uow.session.execute(
            sa.select(ErasureRecord)
            .where(
                ErasureRecord.device_id == device.id,
                ErasureRecord.inspection_id == inspection.id,
                ErasureRecord.status == "erased",
            )
            .order_by(ErasureRecord.id)
        )
        .scalars()
        .all()
    )
    if not erasures:
        raise Refused(f"cannot certify {device.label}: no successful erasure in its last pass")
    erasure = erasures[-1]
    performer = uow.session.get(User, erasure.performed_by_id)
    certificate_id = str(uuid.uuid4())
    payload = certificate_payload(
        {
            "certificate_id": certificate_id,
            "issued_at": utcnow().isoformat(),
            "station": station,
            "location": location or station,
            "destination": destination,
            "person": _person(erasure, performer),
            "issued_by": user.name,
            "device": {
                "make": device.make,
                "model": device.model,
                "serial": device.serial,
                "imei": device.imei,
                "family": device.family,
            },
            "media": _medium(device, erasure),
            "sanitization": _sanitization(erasure),
            "media_erased": [
                {"media": _medium(device, each), "sanitization": _sanitization(each)} for each in erasures
            ],
            "key_fingerprint": signer.fingerprint,
        }
    )
    record = CertificateRecord(
        id=certificate_id,
        erasure_id=erasure.id,
        device_id=device.id,
        issued_by_id=user.id,
        payload=payload,
        signature=signer.sign(payload),
        key_fingerprint=signer.fingerprint,
    )
    uow.session.add(record)
    uow.session.flush()
    record_event(
        uow,
        user.name,
        "certificate.issued",
        f"device:{device.id}",
        {"certificate": certificate_id, "erasures": [e.id for e in erasures], "key": signer.fingerprint},
    )
    set_state(uow, device, DeviceState.CERTIFIED, user.name, f"certificate {certificate_id}")
    uow.commit()
    return certificate_id
