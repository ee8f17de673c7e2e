"""The Android driver's errors: one root, each carrying the device serial and the raw answer that caused it.

adbutils' exceptions (and the socket errors under them) are translated into these at the driver boundary, so a
caller never has to know the client library.
"""

from __future__ import annotations


class AndroidError(Exception):
    """Root of the Android driver's errors. ``serial`` is the adb serial (None for server-wide errors)."""

    def __init__(self, message: str, *, serial: str | None = None, raw: str = "") -> None:
        super().__init__(message)
        self.serial = serial
        self.raw = raw

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.serial}: {message}" if self.serial else message


class AdbServerMissing(AndroidError):
    """Nothing answers on the adb server's port. The station never starts an adb server by itself."""


class AdbProtocolError(AndroidError):
    """The adb server answered something that is not its protocol."""


class DeviceNotFound(AndroidError):
    """The adb server does not know this serial (never plugged, or unplugged before the command)."""


class DeviceGone(AndroidError):
    """The device went away in the middle of a command (unplugged, rebooted, cable fault)."""


class DeviceNotReady(AndroidError):
    """The device is attached but not in a state that answers commands (unauthorized, offline, recovery...)."""

    def __init__(self, message: str, *, serial: str | None = None, raw: str = "", state: str = "") -> None:
        super().__init__(message, serial=serial, raw=raw)
        self.state = state


class CommandTimeout(AndroidError):
    """A shell command did not finish in time (a hung shell); the connection was dropped."""


class CommandFailed(AndroidError):
    """A shell command ran but failed (non-zero exit status); ``raw`` holds its output."""

    def __init__(self, message: str, *, serial: str | None = None, raw: str = "", exit_status: int = 0) -> None:
        super().__init__(message, serial=serial, raw=raw)
        self.exit_status = exit_status


class LockedDevice(AndroidError):
    """An erasure was refused because an account or management lock is on (or could not be checked)."""
