"""The erasure driver's errors: each carries the target it concerns and the raw answer of the tool, if any."""

from __future__ import annotations


class EraseError(Exception):
    """Root of the erasure driver's errors."""

    def __init__(self, message: str, *, device: str = "", raw: str = "") -> None:
        super().__init__(message)
        self.device = device
        self.raw = raw


class Refused(EraseError):
    """The target must not be erased (the disk the system runs from, a mounted filesystem, a disk in use)."""


class PurgeUnavailable(EraseError):
    """No purge command fits this drive (unsupported, frozen, locked, or the tool is missing)."""
