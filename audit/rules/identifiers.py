"""Device identifiers: IMEI (15 digits, Luhn), MEID (14 hex digits), serials, and what a barcode scan is."""

from __future__ import annotations

import enum
import re

from audit.rules.errors import RulesError

__all__ = [
    "IdentifierError",
    "IdentifierKind",
    "classify_identifier",
    "is_apple_serial",
    "is_luhn_valid",
    "is_valid_imei",
    "luhn_check_digit",
    "normalize_imei",
    "normalize_meid",
    "normalize_serial",
]


class IdentifierError(RulesError):
    """An identifier that cannot be what it claims to be; the message names the value and why."""


class IdentifierKind(enum.StrEnum):
    IMEI = "imei"
    MEID = "meid"
    SERIAL = "serial"


_SEPARATORS = re.compile(r"[\s\-]+")
_LABEL = re.compile(r"^\s*(?P<label>IMEI|MEID)\s*[:#]?\s*", re.IGNORECASE)
_MAX_SERIAL = 64


def _luhn_sum(digits: str, *, double_even_from_right: bool) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if (position % 2 == 1) == double_even_from_right:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def luhn_check_digit(digits: str) -> int:
    """The Luhn digit to append to ``digits`` (the IMEI's 15th digit for its first 14)."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise IdentifierError(f"{digits!r} is not a string of digits: no Luhn check digit")
    # Appending the check digit shifts every position by one, so the payload doubles from its rightmost digit.
    return (10 - _luhn_sum(digits, double_even_from_right=False) % 10) % 10


def is_luhn_valid(digits: str) -> bool:
    if len(digits) < 2 or not digits.isascii() or not digits.isdigit():
        return False
    return _luhn_sum(digits, double_even_from_right=True) % 10 == 0


def _compact(text: str, label: str) -> str:
    match = _LABEL.match(text)
    if match and match.group("label").upper() == label:
        text = text[match.end() :]
    return _SEPARATORS.sub("", text)


def normalize_imei(text: str, *, allow_missing_check_digit: bool = False) -> str:
    """The 15-digit IMEI in ``text`` (spaces, dashes and an "IMEI:" label removed), or IdentifierError."""
    digits = _compact(text, "IMEI")
    if not digits:
        raise IdentifierError(f"IMEI {text!r} is empty")
    if not digits.isascii() or not digits.isdigit():
        raise IdentifierError(f"IMEI {text!r} must hold digits only")
    if len(digits) == 14:
        if not allow_missing_check_digit:
            raise IdentifierError(
                f"IMEI {digits} has 14 digits: it may be an IMEI without its check digit or a MEID "
                "written in decimal digits; scan the full 15-digit IMEI"
            )
        digits += str(luhn_check_digit(digits))
    elif len(digits) == 16:
        raise IdentifierError(
            f"{digits} has 16 digits: that is an IMEISV (IMEI with a 2-digit software version), not an IMEI; "
            "read the 15-digit IMEI (dial *#06# or look at the SIM tray)"
        )
    elif len(digits) != 15:
        raise IdentifierError(f"IMEI {digits} has {len(digits)} digits; an IMEI has 15")
    if not is_luhn_valid(digits):
        expected = luhn_check_digit(digits[:14])
        raise IdentifierError(f"IMEI {digits} fails the Luhn check (expected check digit {expected})")
    if digits == "0" * 15:
        # Modems without a provisioned IMEI report zeros, which happen to pass Luhn.
        raise IdentifierError(f"IMEI {digits} is a placeholder (all zeros), not a real IMEI")
    return digits


def is_valid_imei(text: str) -> bool:
    try:
        normalize_imei(text)
    except IdentifierError:
        return False
    return True


_HEX14 = re.compile(r"^[0-9A-F]{14}$")


def normalize_meid(text: str) -> str:
    """The 14-hex-digit MEID, uppercase; the 18-digit decimal form (10 + 8 digits) is converted to hex."""
    compact = _compact(text, "MEID").upper()
    if _HEX14.match(compact):
        return compact
    if len(compact) == 18 and compact.isascii() and compact.isdigit():
        manufacturer, serial = int(compact[:10]), int(compact[10:])
        if manufacturer >= 1 << 32 or serial >= 1 << 24:
            raise IdentifierError(f"decimal MEID {compact} is out of range (10 digits < 2^32, 8 digits < 2^24)")
        return f"{manufacturer:08X}{serial:06X}"
    raise IdentifierError(f"MEID {text!r} must be 14 hexadecimal digits (or the 18-digit decimal form)")


def normalize_serial(text: str) -> str:
    serial = text.strip().upper()
    if not serial:
        raise IdentifierError("a serial number cannot be empty")
    if any(char.isspace() for char in serial):
        raise IdentifierError(f"serial number {serial!r} contains whitespace; scan it again")
    if not serial.isprintable():
        raise IdentifierError(f"serial number {serial!r} contains non-printable characters")
    if len(serial) > _MAX_SERIAL:
        raise IdentifierError(f"serial number {serial[:20]!r}... is {len(serial)} characters (at most {_MAX_SERIAL})")
    return serial


# 2010-2020 12-character serials encode the half-year and week with letters that skip vowels and look-alikes.
_APPLE_12 = re.compile(r"^[A-Z0-9]{3}[CDFGHJKLMNPQRSTVWXYZ][1-9CDFGHJKLMNPQRTVWXY][A-Z0-9]{7}$")
_APPLE_11 = re.compile(r"^[A-Z0-9]{2}[0-9](0[1-9]|[1-4][0-9]|5[0-3])[A-Z0-9]{6}$")
_APPLE_10 = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{10}$")  # randomised from 2021: only the shape can be checked


def is_apple_serial(text: str) -> bool:
    """Whether ``text`` looks like an Apple serial (11-char legacy, 12-char 2010-2020, 10-char randomised)."""
    serial = text.strip().upper()
    return any(pattern.match(serial) for pattern in (_APPLE_10, _APPLE_11, _APPLE_12))


def classify_identifier(text: str) -> tuple[IdentifierKind, str]:
    """What a barcode scan holds: IMEI, MEID or serial, with the normalised value."""
    digits = _compact(text, "IMEI")
    if len(digits) == 15 and digits.isascii() and digits.isdigit():
        # 15 digits are an IMEI or a mis-scan; quietly calling them a serial would hide the typo.
        return IdentifierKind.IMEI, normalize_imei(digits)
    meid = _compact(text, "MEID").upper()
    if _HEX14.match(meid):
        return IdentifierKind.MEID, meid
    return IdentifierKind.SERIAL, normalize_serial(text)
