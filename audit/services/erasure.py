"""Erasures and their signed certificates."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from audit.certificates import Signer, certificate_payload
from audit.errors import Refused
from audit.lifecycle import DeviceState
from audit.models import (
    CertificateRecord,
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


def record_erasure(uow: UnitOfWork, actor: str, device_id: int, outcome: ErasureOutcome) -> int:
    """Record an erasure; only a successful one moves the device on. A failure is kept, never hidden."""
    user = require_actor(uow, actor, Action.ERASE)
    device = load_device(uow, device_id)
    if device.state != DeviceState.GRADED.value:
        raise Refused(f"cannot record an erasure for {device.label}: it is {device.state}, not graded")
    inspection = last_inspection(uow, device)
    record = ErasureRecord(
        device_id=device.id,
        inspection_id=inspection.id,
        performed_by_id=user.id,
        method=outcome.method[:200],
        nist_level=outcome.nist_level.value,
        status=outcome.status.value,
        started_at=outcome.started_at,
        finished_at=outcome.finished_at,
        data=outcome.as_record(),
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
        },
    )
    if outcome.succeeded:
        set_state(uow, device, DeviceState.ERASED, user.name, outcome.method)
    uow.commit()
    return record.id


def issue_certificate(uow: UnitOfWork, actor: str, device_id: int, signer: Signer, *, station: str) -> str:
    """Sign the certificate of the device's last successful erasure (NIST SP 800-88 Appendix G fields)."""
    user = require_actor(uow, actor, Action.CERTIFY)
    device = load_device(uow, device_id)
    if device.state != DeviceState.ERASED.value:
        raise Refused(f"cannot certify {device.label}: it is {device.state}, not erased")
    erasure = uow.session.execute(
        sa.select(ErasureRecord)
        .where(ErasureRecord.device_id == device.id, ErasureRecord.status == "erased")
        .order_by(ErasureRecord.id.desc())
        .limit(1)
    ).scalar_one()
    performer = uow.session.get(User, erasure.performed_by_id)
    certificate_id = str(uuid.uuid4())
    data = erasure.data
    payload = certificate_payload(
        {
            "certificate_id": certificate_id,
            "issued_at": utcnow().isoformat(),
            "station": station,
            "person": {
                "name": performer.name if performer else "?",
                "role": performer.role if performer else "?",
            },
            "issued_by": user.name,
            "media": {
                "manufacturer": device.make,
                "model": device.model,
                "model_number": device.model_number,
                "serial": device.serial,
                "imei": device.imei,
                "type": "flash memory (embedded)" if DeviceFamily(device.family) is not DeviceFamily.LAPTOP else "disk",
                "source": data.get("media") or "",
            },
            "sanitization": {
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
            },
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
        {"certificate": certificate_id, "erasure": erasure.id, "key": signer.fingerprint},
    )
    set_state(uow, device, DeviceState.CERTIFIED, user.name, f"certificate {certificate_id}")
    uow.commit()
    return certificate_id
