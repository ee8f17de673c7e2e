"""Signed erasure certificates (NIST SP 800-88 Appendix G fields), verifiable offline.

The payload is canonical JSON; the signature is Ed25519 over its UTF-8 bytes; the fingerprint is the SHA-256 of the
raw public key. Anyone holding the payload, the signature and the public key can verify without the database.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit.chain import canonical_json

CERTIFICATE_FORMAT = "refurb-station/erasure-certificate/1"


class CertificateError(Exception):
    """A key cannot be loaded, or a certificate does not verify."""


def fingerprint(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


@dataclasses.dataclass(frozen=True)
class Signer:
    """The station's signing key."""

    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, path: Path) -> Signer:
        """Load the station key, creating it (readable by the owner only) on first use."""
        if path.exists():
            try:
                key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            except (ValueError, OSError) as exc:
                raise CertificateError(f"cannot load the signing key {path}: {exc}") from exc
            if not isinstance(key, Ed25519PrivateKey):
                raise CertificateError(f"{path} is not an Ed25519 private key")
            return cls(key)
        signer = cls.generate()
        pem = signer.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
        except OSError as exc:
            raise CertificateError(f"cannot write the signing key {path}: {exc}") from exc
        return signer

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def public_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def sign(self, payload: str) -> str:
        return base64.b64encode(self.private_key.sign(payload.encode("utf-8"))).decode("ascii")


def certificate_payload(fields: dict[str, Any]) -> str:
    return canonical_json({"format": CERTIFICATE_FORMAT, **fields})


def verify_certificate(payload: str, signature: str, public_key: Ed25519PublicKey) -> dict[str, Any]:
    """Return the certificate's fields if the signature holds; raise CertificateError otherwise."""
    try:
        public_key.verify(base64.b64decode(signature, validate=True), payload.encode("utf-8"))
    except (InvalidSignature, ValueError) as exc:
        raise CertificateError("the certificate's signature does not match its content") from exc
    fields = json.loads(payload)
    if not isinstance(fields, dict) or fields.get("format") != CERTIFICATE_FORMAT:
        raise CertificateError("not a Refurb Station erasure certificate")
    return fields


def load_public_key(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except ValueError as exc:
        raise CertificateError(f"not a public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateError("not an Ed25519 public key")
    return key
