"""Keys and certificates for the simulated iPhones: a device key pair and the pair records a host would hold.

RSA key generation is the slow part (tens of milliseconds a key), so keys are made once per process and shared by
every simulated device; certificates are cheap and made per device and per host.
"""

from __future__ import annotations

import datetime
import functools
import ssl
import tempfile
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

_KEY_BITS = 2048


@functools.cache
def shared_key(role: str) -> rsa.RSAPrivateKey:
    """One RSA key per role ("device", "root", "host") for the whole process."""
    del role  # the role only keys the cache
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS)


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(key: rsa.RSAPrivateKey) -> bytes:
    """The DevicePublicKey value lockdown hands out: a PEM RSA public key (PKCS#1, as on a device)."""
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)


def _certificate(
    subject: str, public_key: rsa.RSAPublicKey, issuer: str, signer: rsa.RSAPrivateKey, *, ca: bool
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signer, hashes.SHA256())
    )


def make_pair_record(host_id: str, system_buid: str, wifi_mac: str) -> dict[str, Any]:
    """A pair record as usbmuxd keeps it for a host the device trusts (what ReadPairRecord returns)."""
    root, host, device = shared_key("root"), shared_key("host"), shared_key("device")
    root_cert = _certificate("Simulated Root", root.public_key(), "Simulated Root", root, ca=True)
    host_cert = _certificate("Simulated Host", host.public_key(), "Simulated Root", root, ca=False)
    device_cert = _certificate("Simulated Device", device.public_key(), "Simulated Root", root, ca=False)
    pem = serialization.Encoding.PEM
    return {
        "DeviceCertificate": device_cert.public_bytes(pem),
        "HostCertificate": host_cert.public_bytes(pem),
        "HostPrivateKey": key_pem(host),
        "RootCertificate": root_cert.public_bytes(pem),
        "RootPrivateKey": key_pem(root),
        "HostID": host_id,
        "SystemBUID": system_buid,
        "WiFiMACAddress": wifi_mac,
        "EscrowBag": b"simulated-escrow-bag",
    }


def server_context(device_certificate_pem: bytes, folder: Path) -> ssl.SSLContext:
    """The device side of lockdown's TLS: the record's device certificate with the device's own key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".pem", delete=False) as handle:
        handle.write(device_certificate_pem + b"\n" + key_pem(shared_key("device")))
        path = Path(handle.name)
    try:
        context.load_cert_chain(path)
    finally:
        path.unlink()
    return context
