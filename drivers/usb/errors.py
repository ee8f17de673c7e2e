"""The USB driver family's errors: each carries the device (bus and port path, or ids) and the raw answer."""

from __future__ import annotations


class UsbError(Exception):
    """Root of the USB driver's errors."""

    def __init__(self, message: str, *, device: str = "", raw: str = "") -> None:
        super().__init__(message)
        self.device = device
        self.raw = raw


class UsbUnavailable(UsbError):
    """No USB backend (libusb) could be loaded, or it refused to enumerate (permissions)."""


class BayMapError(UsbError):
    """The saved bay map cannot be read or written."""
