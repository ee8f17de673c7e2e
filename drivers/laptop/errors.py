"""The laptop driver family's errors: each carries the device (or tool) it concerns and the raw answer."""

from __future__ import annotations


class LaptopError(Exception):
    """Root of the laptop driver's errors."""

    def __init__(self, message: str, *, device: str = "", raw: str = "") -> None:
        super().__init__(message)
        self.device = device
        self.raw = raw


class ToolUnavailable(LaptopError):
    """A command-line tool is missing, or refused to run (no root)."""


class ToolFailed(LaptopError):
    """A tool ran and answered with an error."""


class ParseError(LaptopError):
    """A tool's or a file's answer could not be understood."""
