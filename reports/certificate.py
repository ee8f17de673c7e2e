"""The erasure certificate (NIST SP 800-88 Appendix G, with nwipe's report fields), verifiable from the PDF alone.

The signed payload, its Ed25519 signature and the public key travel twice inside the file: in a QR code on the page
(for a phone or a scanner) and in the PDF's document information (key ``/RefurbStationCertificate``, for software).
The embedded key only proves that the payload was not changed since it was signed; *who* signed is the fingerprint,
to be compared with the station's published one (``verify_signed_certificate(..., trusted_public_key_pem=...)``).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from audit.certificates import CertificateError, fingerprint, load_public_key, verify_certificate
from audit.documents import CertificateData
from reports._layout import (
    DocumentError,
    Output,
    build_pdf,
    code128_drawing,
    escape,
    grid_table,
    kv_table,
    para,
    qr_drawing,
    styles,
)
from reports.fonts import REGULAR
from reports.i18n import Locale

ENVELOPE_FORMAT = "refurb-station/signed-certificate/1"
METADATA_KEY = "/RefurbStationCertificate"


@dataclasses.dataclass(frozen=True, slots=True)
class SignedCertificate:
    """What a certificate file carries: the signed text, the signature, and the key (or at least its fingerprint)."""

    payload: str
    signature: str
    key_fingerprint: str
    public_key_pem: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class VerifiedCertificate:
    fields: dict[str, Any]
    key_fingerprint: str
    trusted: bool  # True when checked against a key the caller trusts, False when only against the embedded key


def envelope(data: CertificateData) -> str:
    """The JSON carried by the QR code and the metadata: ASCII only, so that every decoder returns it unchanged."""
    raw_key = None
    if data.public_key_pem is not None:
        raw = load_public_key(data.public_key_pem).public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        raw_key = base64.b64encode(raw).decode("ascii")
    body = {
        "format": ENVELOPE_FORMAT,
        "payload": data.payload,
        "signature": data.signature,
        "key_fingerprint": data.key_fingerprint,
        "public_key": raw_key,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True)


QR_CAPACITY = 2800  # bytes a version-40 QR code at level L holds, with room for its mode headers


def qr_value(data: CertificateData) -> str:
    """The envelope when a QR code can hold it; else a reference (id, key, payload hash) to the file's metadata.

    A laptop with many disks signs a payload too large for one QR code: the PDF's metadata still carries it whole.
    """
    full = envelope(data)
    if len(full) <= QR_CAPACITY:
        return full
    reference = {
        "format": ENVELOPE_FORMAT,
        "certificate_id": data.certificate_id,
        "key_fingerprint": data.key_fingerprint,
        "payload_sha256": hashlib.sha256(data.payload.encode("utf-8")).hexdigest(),
        "payload": None,
    }
    return json.dumps(reference, separators=(",", ":"), ensure_ascii=True)


def parse_envelope(text: str) -> SignedCertificate:
    """The signed certificate from the envelope's text (as read from the QR code or the metadata)."""
    try:
        body = json.loads(text)
    except (ValueError, RecursionError) as exc:  # also a 5000-digit number, or nesting deeper than any envelope
        raise CertificateError(f"the certificate data is not JSON: {getattr(exc, 'msg', exc)}") from exc
    if not isinstance(body, dict) or body.get("format") != ENVELOPE_FORMAT:
        raise CertificateError("this is not a Refurb Station certificate envelope")
    payload, signature, key_fp, raw_key = (
        body.get(k) for k in ("payload", "signature", "key_fingerprint", "public_key")
    )
    if not isinstance(payload, str) or not isinstance(signature, str) or not isinstance(key_fp, str):
        raise CertificateError("the certificate envelope lacks its payload, signature or key fingerprint")
    pem = None
    if raw_key is not None:
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(str(raw_key), validate=True))
        except ValueError as exc:
            raise CertificateError(f"the embedded public key is not an Ed25519 key: {exc}") from exc
        pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return SignedCertificate(payload=payload, signature=signature, key_fingerprint=key_fp, public_key_pem=pem)


def extract_signed_payload(pdf_path: Path | str) -> SignedCertificate:
    """Read the signed certificate out of a certificate PDF, without decoding its QR code."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency; this guards a broken install
        raise CertificateError("reading certificate PDFs needs pypdf (pip install pypdf)") from exc
    path = Path(pdf_path)
    try:
        metadata = PdfReader(path).metadata
    except (OSError, PyPdfError, ValueError) as exc:
        raise CertificateError(f"cannot read {path} as a PDF: {exc}") from exc
    text = metadata.get(METADATA_KEY) if metadata is not None else None
    if not isinstance(text, str):
        raise CertificateError(f"{path} carries no Refurb Station certificate")
    return parse_envelope(text)


def verify_signed_certificate(
    signed: SignedCertificate, *, trusted_public_key_pem: str | None = None
) -> VerifiedCertificate:
    """Check the signature; against ``trusted_public_key_pem`` if given, else against the embedded key."""
    pem = trusted_public_key_pem or signed.public_key_pem
    if pem is None:
        raise CertificateError(
            f"the file carries no public key: verify it with the station key whose fingerprint is "
            f"{signed.key_fingerprint}"
        )
    key = load_public_key(pem)
    key_fp = fingerprint(key)
    if key_fp != signed.key_fingerprint:
        raise CertificateError(
            f"the certificate was signed by key {signed.key_fingerprint[:16]}…, not by key {key_fp[:16]}…"
        )
    fields = verify_certificate(signed.payload, signed.signature, key)
    if fields.get("key_fingerprint") not in (None, key_fp):
        raise CertificateError("the signed payload names another key than the one that signed it")
    return VerifiedCertificate(fields=fields, key_fingerprint=key_fp, trusted=trusted_public_key_pem is not None)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-") or "unknown"


def certificate_filename(data: CertificateData) -> str:
    """``certificate_<date>_<model>_<serial>.pdf``, after nwipe's ``nwipe_report_<end>_Model_<m>_Serial_<s>``."""
    media = data.media
    identifier = media.get("serial") or media.get("imei") or data.certificate_id
    return f"certificate_{data.issued_at:%Y-%m-%d}_{_slug(str(media.get('model') or ''))}_{_slug(str(identifier))}.pdf"


def barcode_value(data: CertificateData) -> str:
    """``model:serial`` in ASCII (Code 128 carries ASCII), the IMEI standing in for a missing serial."""
    media = data.media
    identifier = media.get("serial") or media.get("imei") or ""
    text = f"{media.get('model') or ''}:{identifier}"
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _when(loc: Locale, value: object) -> str:
    if not isinstance(value, str):
        return loc.t("field.unknown")
    try:
        return loc.datetime(datetime.fromisoformat(value))
    except ValueError:
        return value


def _text(loc: Locale, value: object) -> str:
    if value is None or value == "":
        return loc.t("field.none")
    return str(value)


_KNOWN = {
    "format",
    "location",
    "destination",
    "device",
    "media_erased",
    "certificate_id",
    "issued_at",
    "station",
    "person",
    "issued_by",
    "media",
    "sanitization",
    "key_fingerprint",
}
_KNOWN_MEDIA = {"manufacturer", "model", "model_number", "serial", "imei", "type", "source", "bus", "size_bytes"}
_KNOWN_SANITIZATION = {
    "erasure_id",
    "errors",
    "category",
    "method",
    "tool",
    "tool_version",
    "verification",
    "verification_result",
    "started_at",
    "finished_at",
    "status",
    "bytes_erased",
}


def _other_rows(values: dict[str, Any], known: set[str]) -> list[tuple[str, object]]:
    """Fields the payload holds that this layout does not name: printed as recorded, so nothing signed is hidden."""
    return [
        (key.replace("_", " "), json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value)
        for key, value in sorted(values.items())
        if key not in known
    ]


def _size(loc: Locale, size: object) -> str:
    if not isinstance(size, int):
        return loc.t("field.none")
    return f"{loc.storage(round(size / 1_000_000_000))} ({loc.number(size)} B)"


def _device_row(fields: dict[str, Any], media: dict[str, Any], loc: Locale) -> list[tuple[str, object]]:
    """The device the medium came out of, when it is not the medium itself (a laptop's disk)."""
    device = fields.get("device")
    if not isinstance(device, dict) or device.get("model") == media.get("model"):
        return []
    parts = [str(device.get(k)) for k in ("make", "model", "serial", "imei") if device.get(k)]
    return [(loc.t("cert.device"), " · ".join(parts))]


def _media_erased(fields: dict[str, Any], loc: Locale) -> list[Flowable]:
    """Every medium of the pass, when there was more than the one detailed above (a laptop with two disks)."""
    erased = fields.get("media_erased")
    if not isinstance(erased, list) or len(erased) < 2:
        return []
    rows = []
    for item in erased:
        media = item.get("media") if isinstance(item, dict) and isinstance(item.get("media"), dict) else {}
        done = item.get("sanitization") if isinstance(item, dict) and isinstance(item.get("sanitization"), dict) else {}
        rows.append(
            [
                f"{media.get('manufacturer') or ''} {media.get('model') or ''}".strip() or loc.t("field.unknown"),
                _text(loc, media.get("serial")),
                _size(loc, media.get("size_bytes")),
                _text(loc, done.get("method")),
                loc.value("erasure_status", done.get("status")),
                loc.value("verification_result", done.get("verification_result")),
            ]
        )
    header = [
        loc.t("field.model"),
        loc.t("field.serial"),
        loc.t("cert.size"),
        loc.t("erasure.method"),
        loc.t("erasure.status"),
        loc.t("erasure.verification_result"),
    ]
    table = grid_table(header, rows, [36 * mm, 30 * mm, 28 * mm, 42 * mm, 18 * mm, 22 * mm])
    return [Paragraph(escape(loc.t("cert.media_erased")), styles().h2), table]


def _story(data: CertificateData, loc: Locale) -> list[Flowable]:
    s = styles()
    fields, media, sanitization = data.fields, data.media, data.sanitization
    person = fields.get("person") if isinstance(fields.get("person"), dict) else {}
    assert isinstance(person, dict)
    h2 = s.h2
    head = [
        Paragraph(escape(loc.t("certificate.title")), s.title),
        Paragraph(escape(loc.t("certificate.subtitle")), s.subtitle),
        Spacer(1, 3 * mm),
        kv_table(
            [
                (loc.t("cert.id"), data.certificate_id),
                (loc.t("cert.issued_at"), _when(loc, fields.get("issued_at"))),
                (loc.t("cert.issued_by"), _text(loc, fields.get("issued_by"))),
                (
                    loc.t("section.person"),
                    f"{_text(loc, person.get('name'))} ({_text(loc, person.get('role'))})",
                ),
                (loc.t("cert.station"), _text(loc, fields.get("station"))),
                (loc.t("cert.location"), _text(loc, fields.get("location"))),
                (loc.t("cert.destination"), loc.value("destination", fields.get("destination"))),
                *_other_rows(fields, _KNOWN),
            ],
            widths=(38 * mm, 74 * mm),
        ),
        Spacer(1, 2 * mm),
        Paragraph(escape(loc.t("qr.certificate")), s.small),
    ]
    top = Table([[head, qr_drawing(qr_value(data), 62 * mm, level="L")]], colWidths=[114 * mm, 62 * mm])
    top.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Flowable] = [
        top,
        Paragraph(escape(loc.t("section.media")), h2),
        kv_table(
            [
                (loc.t("cert.manufacturer"), _text(loc, media.get("manufacturer"))),
                (loc.t("field.model"), _text(loc, media.get("model"))),
                (loc.t("field.model_number"), _text(loc, media.get("model_number"))),
                (loc.t("field.serial"), _text(loc, media.get("serial"))),
                (loc.t("field.imei"), _text(loc, media.get("imei"))),
                (loc.t("cert.media_type"), _text(loc, media.get("type"))),
                (loc.t("cert.media_source"), _text(loc, media.get("source"))),
                *([(loc.t("cert.bus"), str(media["bus"]))] if media.get("bus") else []),
                *([(loc.t("cert.size"), _size(loc, media["size_bytes"]))] if media.get("size_bytes") else []),
                *_device_row(fields, media, loc),
                *_other_rows(media, _KNOWN_MEDIA),
            ]
        ),
    ]
    started, finished = sanitization.get("started_at"), sanitization.get("finished_at")
    duration = loc.t("field.unknown")
    if isinstance(started, str) and isinstance(finished, str):
        try:
            seconds = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
            duration = loc.duration(seconds)
        except ValueError:
            pass
    tool = " ".join(str(p) for p in (sanitization.get("tool"), sanitization.get("tool_version")) if p)
    bytes_erased = sanitization.get("bytes_erased")
    story += [
        Paragraph(escape(loc.t("section.sanitization")), h2),
        kv_table(
            [
                (loc.t("erasure.status"), loc.value("erasure_status", sanitization.get("status"))),
                (loc.t("erasure.nist"), loc.value("nist", sanitization.get("category"))),
                (loc.t("erasure.method"), _text(loc, sanitization.get("method"))),
                (loc.t("erasure.tool"), tool or loc.t("field.unknown")),
                (loc.t("erasure.verification"), _text(loc, sanitization.get("verification"))),
                (
                    loc.t("erasure.verification_result"),
                    loc.value("verification_result", sanitization.get("verification_result")),
                ),
                (loc.t("erasure.started"), _when(loc, started)),
                (loc.t("erasure.finished"), _when(loc, finished)),
                (loc.t("erasure.duration"), duration),
                (
                    loc.t("erasure.bytes"),
                    loc.number(bytes_erased) if isinstance(bytes_erased, int) else loc.t("field.unknown"),
                ),
                (loc.t("cert.errors"), "; ".join(map(str, sanitization.get("errors") or [])) or loc.t("field.none")),
                (loc.t("cert.erasure_id"), _text(loc, sanitization.get("erasure_id"))),
                *_other_rows(sanitization, _KNOWN_SANITIZATION),
            ]
        ),
        *_media_erased(fields, loc),
        Paragraph(escape(loc.t("section.signature")), h2),
        kv_table(
            [
                (loc.t("cert.fingerprint"), Paragraph(escape(data.key_fingerprint), s.mono)),
                (loc.t("cert.signature"), Paragraph(escape(data.signature), s.mono)),
                (
                    loc.t("cert.public_key"),
                    Paragraph(escape(data.public_key_pem.strip()), s.mono)
                    if data.public_key_pem
                    else para(loc.t("cert.no_public_key")),
                ),
                (loc.t("cert.format"), _text(loc, fields.get("format"))),
            ]
        ),
        Spacer(1, 3 * mm),
    ]
    code = barcode_value(data)
    try:
        barcode: Flowable | Paragraph = code128_drawing(code, bar_width=0.3 * mm, bar_height=13 * mm)
    except DocumentError:
        barcode = para(code)
    story += [Paragraph(escape(loc.t("cert.barcode")), s.cell_bold), barcode, Paragraph(escape(code), s.small)]
    return story


def render_certificate(data: CertificateData, out: Output, *, lang: str = "en") -> bytes:
    """Write the certificate as a PDF to ``out`` (see ``certificate_filename``) and return its bytes."""
    loc = Locale(lang)
    return build_pdf(
        out,
        _story(data, loc),
        loc=loc,
        title=f"{loc.t('certificate.title')} {data.certificate_id}",
        subject=barcode_value(data),
        footer=f"Refurb Station · {loc.t('cert.id')} {data.certificate_id} · key {data.key_fingerprint[:16]}…",
        extra_info={METADATA_KEY[1:]: envelope(data)},
    )
