"""The erasure certificate PDF: every field printed, verifiable from the file alone (metadata and QR code)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit.certificates import CertificateError, Signer
from audit.documents import CertificateData, certificate_data
from reports.certificate import (
    METADATA_KEY,
    QR_CAPACITY,
    barcode_value,
    certificate_filename,
    envelope,
    extract_signed_payload,
    parse_envelope,
    qr_value,
    render_certificate,
    verify_signed_certificate,
)
from tests.reports.conftest import Bench
from tests.reports.pdf_tools import dark_fraction, pdf_text, read_codes, render_page


@pytest.fixture
def certificate(shared_bench: Bench) -> CertificateData:
    with shared_bench.uow() as uow:
        return certificate_data(uow, shared_bench.certificate_id, public_key_pem=shared_bench.signer.public_pem())


@pytest.fixture
def pdf(certificate: CertificateData, tmp_path: Path) -> Path:
    path = tmp_path / certificate_filename(certificate)
    render_certificate(certificate, path)
    return path


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Certificate of data sanitization", "Person performing the sanitization", "ERASED", "passed"]),
        ("fr", ["Certificat d'effacement des données", "Personne ayant réalisé l'effacement", "EFFACÉ", "réussie"]),
    ],
    ids=["en", "fr"],
)
def test_every_field_is_printed_in_the_language(
    certificate: CertificateData, tmp_path: Path, lang: str, words: list[str]
) -> None:
    path = tmp_path / f"cert-{lang}.pdf"
    render_certificate(certificate, path, lang=lang)
    pages = pdf_text(path)
    assert len(pages) == 1
    text = pages[0]
    for word in words:
        assert word in text
    media, sanitization = certificate.media, certificate.sanitization
    for value in (
        certificate.certificate_id,
        media["manufacturer"],
        media["model"],
        media["model_number"],
        media["serial"],
        media["imei"],
        media["type"],
        sanitization["method"],
        sanitization["tool"],
        sanitization["verification"],
        certificate.fields["person"]["name"],
        certificate.fields["station"],
        certificate.key_fingerprint,
        "iPhone 12:F2LXK0ABHG7F",
    ):
        assert value in text, value
    assert certificate.signature in text.replace(" ", "")


def test_file_name_follows_nwipe(certificate: CertificateData) -> None:
    assert (
        certificate_filename(certificate) == f"certificate_{certificate.issued_at:%Y-%m-%d}_iPhone-12_F2LXK0ABHG7F.pdf"
    )
    assert barcode_value(certificate) == "iPhone 12:F2LXK0ABHG7F"


def test_the_pdf_alone_verifies(pdf: Path, shared_bench: Bench) -> None:
    signed = extract_signed_payload(pdf)
    verified = verify_signed_certificate(signed)
    assert verified.fields["certificate_id"] == shared_bench.certificate_id
    assert verified.key_fingerprint == shared_bench.signer.fingerprint
    assert not verified.trusted
    trusted = verify_signed_certificate(signed, trusted_public_key_pem=shared_bench.signer.public_pem())
    assert trusted.trusted


def test_the_qr_code_carries_the_signed_certificate(pdf: Path, shared_bench: Bench) -> None:
    image = render_page(pdf, dpi=200)
    codes = read_codes(image, "QRCode")
    assert len(codes) == 1
    signed = parse_envelope(codes[0])
    assert signed == extract_signed_payload(pdf)
    fields = verify_signed_certificate(signed, trusted_public_key_pem=shared_bench.signer.public_pem()).fields
    assert fields["media"]["serial"] == "F2LXK0ABHG7F"


def test_the_page_is_not_blank_and_the_barcodes_are_where_they_belong(pdf: Path) -> None:
    image = render_page(pdf, dpi=100)
    width, height = image.size
    assert 0.01 < dark_fraction(image) < 0.5
    assert dark_fraction(image, (int(width * 0.62), 0, width, int(height * 0.3))) > 0.15  # the QR code, top right
    assert read_codes(render_page(pdf, dpi=200), "Code128") == ["iPhone 12:F2LXK0ABHG7F"]


def test_a_changed_payload_does_not_verify(pdf: Path) -> None:
    signed = extract_signed_payload(pdf)
    forged = dataclasses.replace(signed, payload=signed.payload.replace("purge", "destroy"))
    assert forged.payload != signed.payload
    with pytest.raises(CertificateError, match="does not match"):
        verify_signed_certificate(forged)


def test_a_certificate_signed_by_another_key_is_named(pdf: Path) -> None:
    signed = extract_signed_payload(pdf)
    with pytest.raises(CertificateError, match="signed by key"):
        verify_signed_certificate(signed, trusted_public_key_pem=Signer.generate().public_pem())


def test_a_swapped_embedded_key_is_caught(certificate: CertificateData) -> None:
    """Someone re-signs the payload with their own key and embeds it: the fingerprint no longer matches."""
    intruder = Signer.generate()
    body = json.loads(envelope(certificate))
    forged = dataclasses.replace(
        certificate, signature=intruder.sign(certificate.payload), public_key_pem=intruder.public_pem()
    )
    forged_body = json.loads(envelope(forged))
    forged_body["key_fingerprint"] = body["key_fingerprint"]
    with pytest.raises(CertificateError, match="signed by key"):
        verify_signed_certificate(parse_envelope(json.dumps(forged_body)))


def test_without_its_key_the_certificate_needs_a_trusted_one(
    certificate: CertificateData, tmp_path: Path, shared_bench: Bench
) -> None:
    path = tmp_path / "nokey.pdf"
    render_certificate(dataclasses.replace(certificate, public_key_pem=None), path)
    assert "not embedded" in pdf_text(path)[0]
    signed = extract_signed_payload(path)
    with pytest.raises(CertificateError, match="carries no public key"):
        verify_signed_certificate(signed)
    assert verify_signed_certificate(signed, trusted_public_key_pem=shared_bench.signer.public_pem()).trusted


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a pdf at all", "cannot read"),
        (None, "carries no Refurb Station certificate"),
    ],
    ids=["garbage", "other-pdf"],
)
def test_extract_from_a_file_that_is_not_a_certificate(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "x.pdf"
    if content is None:
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(str(path))
        canvas.drawString(100, 100, "hello")
        canvas.save()
    else:
        path.write_bytes(content)
    with pytest.raises(CertificateError, match=message):
        extract_signed_payload(path)


@pytest.mark.parametrize(
    "text",
    ["[]", "{}", '{"format": "refurb-station/signed-certificate/1"}', "{", '{"format": "x", "payload": "y"}'],
    ids=["list", "empty", "no-fields", "broken-json", "other-format"],
)
def test_parse_envelope_rejects_what_is_not_one(text: str) -> None:
    with pytest.raises(CertificateError):
        parse_envelope(text)


def test_metadata_is_ascii_json(pdf: Path) -> None:
    raw = PdfReader(pdf).metadata[METADATA_KEY]
    assert raw.isascii()
    assert json.loads(raw)["format"] == "refurb-station/signed-certificate/1"


def test_a_payload_too_large_for_a_qr_code_is_referenced(certificate: CertificateData, tmp_path: Path) -> None:
    """Many disks make a payload no QR code holds: the code names it, the metadata carries it whole."""
    fields = {**certificate.fields, "media_erased": [certificate.fields["media"]] * 20}
    big = dataclasses.replace(certificate, fields=fields, payload=json.dumps(fields))
    value = qr_value(big)
    assert len(envelope(big)) > QR_CAPACITY
    assert json.loads(value)["payload_sha256"] == hashlib.sha256(big.payload.encode()).hexdigest()
    with pytest.raises(CertificateError, match="lacks its payload"):
        parse_envelope(value)
    path = tmp_path / "big.pdf"
    render_certificate(big, path)
    assert extract_signed_payload(path).payload == big.payload
