"""``refurb-station certificate verify FILE`` and ``certificate export ID``: signed erasure certificates offline.

A certificate file is JSON: ``payload`` (the canonical JSON that was signed), ``signature`` (Ed25519, base64),
``public_key`` (PEM) and, for people, ``certificate`` (the payload's fields, readable). Verification says exactly
what does not match: the signature, the key, the fingerprint the payload names, a field of the readable copy, or a
field of the record kept in the station's database when the certificate is known there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.station import Station
from audit.certificates import CertificateError, fingerprint, load_public_key, verify_certificate

EXIT_OK = 0
EXIT_INVALID = 1
CERTIFICATE_FILE_FORMAT = "refurb-station/erasure-certificate-file/1"


class CertificateFileError(CertificateError):
    """The file is not a certificate file at all (not JSON, fields missing)."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    certificate = commands.add_parser("certificate", help="signed erasure certificates")
    actions = certificate.add_subparsers(dest="certificate_command", required=True)
    verify = actions.add_parser("verify", help="check a certificate file offline and say what does not match")
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.add_argument("--public-key", type=Path, metavar="PEM", help="the station's public key to trust")
    verify.add_argument("--fingerprint", metavar="HEX", help="the SHA-256 fingerprint of the key to trust")
    verify.add_argument("--json", action="store_true", help="machine-readable result")
    verify.set_defaults(handler=cmd_verify)
    export = actions.add_parser("export", help="write a certificate from the database as a verifiable file")
    export.add_argument("certificate_id", metavar="ID")
    export.add_argument("--output", type=Path, metavar="FILE", help="where to write it (default: the data dir)")
    export.set_defaults(handler=cmd_export)


def certificate_file(payload: str, signature: str, public_pem: str) -> dict[str, Any]:
    """The JSON document a certificate file holds."""
    return {
        "format": CERTIFICATE_FILE_FORMAT,
        "certificate": json.loads(payload),
        "payload": payload,
        "signature": signature,
        "public_key": public_pem,
    }


def _differences(expected: Any, found: Any, path: str = "") -> list[str]:
    """Field paths where ``found`` differs from ``expected``, with both values."""
    if isinstance(expected, dict) and isinstance(found, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(found), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in found:
                out.append(f"{where}: missing (signed value {expected[key]!r})")
            elif key not in expected:
                out.append(f"{where}: not in the signed certificate (file says {found[key]!r})")
            else:
                out.extend(_differences(expected[key], found[key], where))
        return out
    if expected != found:
        return [f"{path}: signed value {expected!r}, file says {found!r}"]
    return []


def _load(path: Path) -> dict[str, Any]:
    if _is_pdf(path):
        return _load_pdf(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CertificateFileError(f"cannot read {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CertificateFileError(f"{path} is not a certificate file (not JSON: {exc})") from exc
    if not isinstance(document, dict):
        raise CertificateFileError(f"{path} is not a certificate file")
    missing = [key for key in ("payload", "signature") if not isinstance(document.get(key), str)]
    if missing:
        raise CertificateFileError(f"{path} is not a certificate file: no {' and no '.join(missing)}")
    return document


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False  # _load reports the unreadable file


def _load_pdf(path: Path) -> dict[str, Any]:
    """A certificate PDF carries its signed payload in its metadata (and QR code): verify it from the file alone."""
    from reports.certificate import extract_signed_payload

    try:
        signed = extract_signed_payload(path)
    except CertificateError as exc:
        raise CertificateFileError(str(exc)) from exc
    document: dict[str, Any] = {"payload": signed.payload, "signature": signed.signature}
    if signed.public_key_pem is not None:
        document["public_key"] = signed.public_key_pem
    return document


def verify_file(
    path: Path,
    *,
    trusted_key: Ed25519PublicKey | None = None,
    trusted_fingerprint: str | None = None,
    database_payload: str | None = None,
) -> tuple[dict[str, Any] | None, list[str]]:
    """(the certificate's fields if the signature holds, every problem found). No problem means valid."""
    document = _load(path)
    problems: list[str] = []
    embedded: Ed25519PublicKey | None = None
    if isinstance(document.get("public_key"), str):
        try:
            embedded = load_public_key(document["public_key"])
        except CertificateError as exc:
            problems.append(f"public_key: {exc}")
    key = trusted_key or embedded
    if key is None:
        return None, [*problems, "no public key: give --public-key, or use a file that carries one"]
    if trusted_key is not None and embedded is not None and fingerprint(embedded) != fingerprint(trusted_key):
        problems.append(
            f"public_key: the file carries key {fingerprint(embedded)}, not the trusted key {fingerprint(trusted_key)}"
        )
    key_print = fingerprint(key)
    if trusted_fingerprint and key_print != trusted_fingerprint.lower():
        problems.append(f"key: fingerprint {key_print} is not the trusted {trusted_fingerprint.lower()}")
    fields: dict[str, Any] | None = None
    try:
        fields = verify_certificate(document["payload"], document["signature"], key)
    except CertificateError as exc:
        problems.append(f"signature: {exc}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        problems.append("payload: not JSON")
    if fields is not None and fields.get("key_fingerprint") != key_print:
        problems.append(
            f"key_fingerprint: the certificate names {fields.get('key_fingerprint')}, signed by {key_print}"
        )
    try:
        signed_view = json.loads(document["payload"])
    except json.JSONDecodeError:
        signed_view = None
    if isinstance(document.get("certificate"), dict) and isinstance(signed_view, dict):
        problems += [f"certificate.{d}" for d in _differences(signed_view, document["certificate"])]
    if database_payload is not None and isinstance(signed_view, dict):
        recorded = json.loads(database_payload)
        problems += [f"against the database record: {d}" for d in _differences(recorded, signed_view)]
    return fields, problems


def _database_payload(station: Station, certificate_id: str) -> str | None:
    """The payload the station recorded for this certificate, if this station's database knows it."""
    from audit.models import CertificateRecord

    try:
        with station.uow() as uow:
            record = uow.session.get(CertificateRecord, certificate_id)
            return record.payload if record is not None else None
    except Exception:  # offline verification must not depend on the database
        return None


def cmd_verify(station: Station | None, args: argparse.Namespace) -> int:
    trusted = None
    if args.public_key is not None:
        try:
            trusted = load_public_key(args.public_key.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CertificateError(f"cannot read the public key {args.public_key}: {exc}") from exc
    document = _load(args.file)
    try:
        claimed_id = json.loads(document["payload"]).get("certificate_id")
    except (json.JSONDecodeError, AttributeError):
        claimed_id = None
    recorded = _database_payload(station, str(claimed_id)) if station is not None and claimed_id else None
    fields, problems = verify_file(
        args.file, trusted_key=trusted, trusted_fingerprint=args.fingerprint, database_payload=recorded
    )
    valid = fields is not None and not problems
    if args.json:
        print(json.dumps({"valid": valid, "problems": problems, "certificate": fields}, indent=2, default=str))
        return EXIT_OK if valid else EXIT_INVALID
    if valid and fields is not None:
        media = fields.get("media") or {}
        sanitization = fields.get("sanitization") or {}
        print(f"certificate {fields.get('certificate_id')} is valid")
        print(f"  signed by key {fields.get('key_fingerprint')} at station {fields.get('station')}")
        print(f"  media        {media.get('manufacturer')} {media.get('model')} S/N {media.get('serial') or '-'}")
        print(
            f"  sanitization {sanitization.get('category')}: {sanitization.get('method')}, "
            f"{sanitization.get('status')}, verification {sanitization.get('verification_result')}"
        )
        if recorded is not None:
            print("  matches the record in this station's database")
        return EXIT_OK
    print(f"certificate {args.file} is NOT valid:")
    for problem in problems:
        print(f"  - {problem}")
    return EXIT_INVALID


def cmd_export(station: Station, args: argparse.Namespace) -> int:
    from app.cli import CommandError
    from audit.models import CertificateRecord

    with station.uow() as uow:
        record = uow.session.get(CertificateRecord, args.certificate_id)
        if record is None:
            raise CommandError(f"no certificate {args.certificate_id} in this station's database", 4)
        payload, signature, key_print = record.payload, record.signature, record.key_fingerprint
    signer = station.signer()
    if signer.fingerprint != key_print:
        raise CommandError(
            f"certificate {args.certificate_id} was signed by key {key_print}, not this station's key "
            f"{signer.fingerprint}: export it from the station that signed it"
        )
    target = args.output or station.data_dir / "certificates" / f"certificate-{args.certificate_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(certificate_file(payload, signature, signer.public_pem()), indent=2), "utf-8")
    print(target)
    return EXIT_OK
