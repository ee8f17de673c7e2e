"""Errors of the iOS driver family: one root, each error carrying the device's UDID and the raw answer.

pymobiledevice3's exceptions are translated into these at the driver boundary (:func:`translate`), so nothing above
the driver ever catches a library type.
"""

from __future__ import annotations

import asyncio
import enum
import plistlib
import xml.parsers.expat

from pymobiledevice3 import exceptions as pmd3


class PairingStatus(enum.StrEnum):
    """Whether the station may talk to a device, as the technician should read it on the bay."""

    PAIRED = "paired"
    WAITING_FOR_TRUST = "waiting for Trust"  # the "Trust this computer?" dialog is on the screen
    PASSCODE_LOCKED = "passcode locked"  # unlock the device, then it can show the Trust dialog
    USER_DENIED = "user denied"  # someone tapped "Don't Trust": unplug and plug again
    NOT_PAIRED = "not paired"
    UNKNOWN = "unknown"

    @property
    def advice(self) -> str:
        return _ADVICE[self]


_ADVICE = {
    PairingStatus.PAIRED: "",
    PairingStatus.WAITING_FOR_TRUST: 'tap "Trust" on the device and enter its passcode',
    PairingStatus.PASSCODE_LOCKED: "unlock the device with its passcode",
    PairingStatus.USER_DENIED: '"Don\'t Trust" was tapped: unplug the device and plug it in again',
    PairingStatus.NOT_PAIRED: "the station is not paired with this device",
    PairingStatus.UNKNOWN: "",
}


class IosError(Exception):
    """Root of the family. ``udid`` is the device (None for usbmuxd-wide errors), ``raw`` what the device said."""

    def __init__(self, message: str, udid: str | None = None, raw: object = None) -> None:
        super().__init__(message)
        self.udid = udid
        self.raw = raw

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.udid}: {text}" if self.udid else text


class UsbmuxdUnavailable(IosError):
    """usbmuxd (real or simulated) is not running, or went away: no iOS device can be reached."""


class DeviceGone(IosError):
    """The device was unplugged (or rebooted) while the station was talking to it."""


class DeviceTimeout(IosError):
    """The device stopped answering; the step gave up after its time limit."""


class BadAnswer(IosError):
    """The device answered with something that is not the protocol (garbage, a truncated plist, a missing field)."""


class PairingRequired(IosError):
    """The device will not talk until it is paired; ``status`` says what the technician must do."""

    def __init__(self, message: str, udid: str | None, status: PairingStatus, raw: object = None) -> None:
        super().__init__(message, udid, raw)
        self.status = status


class DeviceRefused(IosError):
    """The device refused a request (a service it will not start, a lockdown error)."""


_PAIRING = (
    (pmd3.PairingDialogResponsePendingError, PairingStatus.WAITING_FOR_TRUST),
    (pmd3.UserDeniedPairingError, PairingStatus.USER_DENIED),
    (pmd3.PasswordRequiredError, PairingStatus.PASSCODE_LOCKED),
    (pmd3.PasscodeRequiredError, PairingStatus.PASSCODE_LOCKED),
    (pmd3.NotPairedError, PairingStatus.NOT_PAIRED),
    (pmd3.InvalidHostIDError, PairingStatus.NOT_PAIRED),
    (pmd3.FatalPairingError, PairingStatus.NOT_PAIRED),
    (pmd3.PairingError, PairingStatus.NOT_PAIRED),
)


def translate(exc: BaseException, udid: str | None, doing: str) -> IosError:
    """The family error for a library (or socket) exception raised while ``doing`` something with ``udid``."""
    if isinstance(exc, IosError):
        return exc
    raw = getattr(exc, "args", None) or None
    detail = str(exc) or type(exc).__name__
    for kind, status in _PAIRING:
        if isinstance(exc, kind):
            return PairingRequired(f"{doing}: {status.value} ({status.advice})", udid, status, raw)
    if isinstance(exc, pmd3.ConnectionFailedToUsbmuxdError):
        return UsbmuxdUnavailable(f"{doing}: usbmuxd is not running (no iOS device can be reached)", None, raw)
    if isinstance(exc, pmd3.DeviceNotFoundError | pmd3.NoDeviceConnectedError | pmd3.BadDevError):
        return DeviceGone(f"{doing}: the device is not connected", udid, raw)
    if isinstance(exc, pmd3.ConnectionTerminatedError | pmd3.ConnectionFailedError | asyncio.IncompleteReadError):
        return DeviceGone(f"{doing}: the connection to the device was lost ({detail})", udid, raw)
    if isinstance(exc, TimeoutError):
        return DeviceTimeout(f"{doing}: the device did not answer in time", udid, raw)
    if isinstance(exc, pmd3.ProtocolError | plistlib.InvalidFileException | xml.parsers.expat.ExpatError):
        return BadAnswer(f"{doing}: the device sent an answer that is not a valid plist", udid, raw)
    if isinstance(exc, pmd3.MuxException):
        return UsbmuxdUnavailable(f"{doing}: usbmuxd failed ({detail})", udid, raw)
    if isinstance(exc, pmd3.LockdownError | pmd3.StartServiceError | pmd3.ProfileError):
        return DeviceRefused(f"{doing}: the device refused ({detail})", udid, raw)
    if isinstance(exc, pmd3.PyMobileDevice3Exception):
        return DeviceRefused(f"{doing}: {detail}", udid, raw)
    if isinstance(exc, AssertionError):  # pymobiledevice3 asserts some protocol steps (DeviceLink's Hello)
        return BadAnswer(f"{doing}: the device's answer broke the protocol ({detail})", udid, raw)
    if isinstance(exc, KeyError | TypeError | ValueError | AttributeError):
        return BadAnswer(f"{doing}: the device's answer lacked an expected field ({detail})", udid, raw)
    if isinstance(exc, OSError):
        return DeviceGone(f"{doing}: the connection failed ({detail})", udid, raw)
    raise exc
