"""What an erasure did, with nwipe's report fields, and its mapping onto the shared :class:`ErasureOutcome`."""

from __future__ import annotations

import dataclasses
import enum
from datetime import datetime
from importlib import metadata
from typing import Any

from audit.readings import ErasureOutcome, ErasureStatus, NistLevel, VerificationResult

TOOL = "refurb-station erase"


def tool_version() -> str:
    try:
        return metadata.version("refurb-station")
    except metadata.PackageNotFoundError:
        return "unknown"


class VerifyMode(enum.StrEnum):
    NONE = "none"
    LAST = "last"
    ALL = "all"
    SAMPLE = "sample"


@dataclasses.dataclass(frozen=True, slots=True)
class Media:
    """The medium erased (NIST App. G "media information")."""

    path: str
    kind: str  # "nvme", "ssd", "hdd", "image file", "block device"...
    size_bytes: int
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    bus: str | None = None

    def describe(self) -> str:
        parts = [self.kind, " ".join(p for p in (self.manufacturer, self.model) if p) or None]
        parts.append(f"S/N {self.serial}" if self.serial else None)
        parts.append(f"{self.size_bytes:,} bytes")
        parts.append(self.path)
        return ", ".join(p for p in parts if p)


@dataclasses.dataclass(frozen=True, slots=True)
class WipeReport:
    """One medium's erasure, in the terms of NIST SP 800-88 App. G and nwipe's report."""

    media: Media
    nist_level: NistLevel
    method: str  # "overwrite zeros, 1 pass", "nvme sanitize crypto erase"...
    status: ErasureStatus
    started_at: datetime
    finished_at: datetime
    verify: VerifyMode
    verification_result: VerificationResult
    verification: str  # "none", "last pass", "all passes", "sampled 10.0%", "device report"
    bytes_erased: int = 0  # bytes of the medium overwritten by the final pass (or the whole medium for a purge)
    bytes_written: int = 0  # across every pass
    bytes_verified: int = 0
    rounds: int = 1
    passes: tuple[str, ...] = ()
    prng: str | None = None  # the random stream and its seed, so that an auditor can re-verify
    write_rate: float | None = None  # bytes / s
    verify_rate: float | None = None
    pass_errors: int = 0
    sync_errors: int = 0
    verify_errors: int = 0
    errors: tuple[str, ...] = ()
    hpa_dco: str = "not checked"
    direct_io: bool | None = None
    block_size: int | None = None
    commands: tuple[str, ...] = ()  # the purge commands run, in order
    tool: str = TOOL
    tool_version: str = dataclasses.field(default_factory=tool_version)

    @property
    def duration_s(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def succeeded(self) -> bool:
        return self.status is ErasureStatus.ERASED

    def outcome(self) -> ErasureOutcome:
        return ErasureOutcome(
            method=self.method,
            nist_level=self.nist_level,
            status=self.status,
            started_at=self.started_at,
            finished_at=self.finished_at,
            tool=self.tool,
            tool_version=self.tool_version,
            verification=self.verification,
            verification_result=self.verification_result,
            media=self.media.describe(),
            bytes_erased=self.bytes_erased,
            errors=self.errors,
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, Media):
                value = dataclasses.asdict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[field.name] = value
        out["duration_s"] = self.duration_s
        return out
