"""What the capability readers need of a phone: its serial, its shell and its properties.

Identity, battery, locks, probes and erasure are written against :class:`PhoneShell` rather than the phone class, so
each lives in its own module without importing the others; :class:`~drivers.android.phone.AndroidPhone` is the one
implementation.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol


@dataclasses.dataclass(frozen=True, slots=True)
class ShellResult:
    command: str
    output: str
    exit_status: int


class PhoneShell(Protocol):
    serial: str

    def shell(self, command: str, *, timeout: float | None = None, check: bool = True) -> ShellResult:
        """Run ``command``; raise :class:`~drivers.android.errors.CommandFailed` on a non-zero exit when ``check``."""
        ...

    def props(self) -> dict[str, str]:
        """Every system property, read once."""
        ...

    def optional(self, command: str) -> str:
        """The output of a command whose failure only leaves its values unknown ("" then)."""
        ...

    def server_version(self) -> int:
        """The adb server's version (the erasure records it as the tool's version)."""
        ...
