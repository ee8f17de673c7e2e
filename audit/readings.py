"""Readings: the shared vocabulary between the drivers and the audit core.

Drivers return these frozen value objects; the audit core stores them unchanged (a re-test adds a reading, it never
edits one). An unknown value is ``None`` and stays unknown: no reading ever invents a 100 %.
Every reading can be turned into a JSON-ready dict (``as_record``) and back (``from_record``) so that the records
keep exactly what the driver saw.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Self


class ReadingError(ValueError):
    """A reading was built from values that cannot be true (negative capacity, unknown enum...)."""


class DeviceFamily(enum.StrEnum):
    IPHONE = "iphone"
    IPAD = "ipad"
    ANDROID = "android"
    LAPTOP = "laptop"

    @property
    def is_phone(self) -> bool:
        return self in (DeviceFamily.IPHONE, DeviceFamily.ANDROID)


class CapacityUnit(enum.StrEnum):
    MAH = "mAh"
    UAH = "uAh"
    MWH = "mWh"
    UWH = "uWh"
    WH = "Wh"
    PERCENT = "%"


class LockState(enum.StrEnum):
    ON = "on"
    OFF = "off"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not applicable"


class LockKind(enum.StrEnum):
    ICLOUD = "icloud"  # Activation Lock / Find My
    GOOGLE_FRP = "google_frp"  # Google account -> Factory Reset Protection
    SAMSUNG = "samsung"  # Samsung account -> Reactivation Lock
    MDM = "mdm"  # supervision / device owner / remote management
    FIRMWARE_PASSWORD = "firmware_password"  # a laptop's BIOS/UEFI supervisor password (or a Mac's firmware password)
    COMPUTRACE = "computrace"  # Absolute / Computrace persistence in a laptop's firmware


class TestOutcome(enum.StrEnum):
    __test__ = False  # not a pytest class

    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"
    NOT_APPLICABLE = "not applicable"


class MeasuredBy(enum.StrEnum):
    AUTOMATIC = "automatic"  # read from the device by a driver
    MANUAL = "manual"  # a technician looked / listened / pressed
    INSTRUMENT = "instrument"  # an external instrument (USB power meter...)


class DefectZone(enum.StrEnum):
    SCREEN = "screen"
    BACK = "back"
    SIDES = "sides"
    CAMERA_LENS = "camera_lens"
    LID = "lid"
    KEYBOARD = "keyboard"
    TRACKPAD = "trackpad"
    BASE = "base"


class DefectKind(enum.StrEnum):
    SCRATCH = "scratch"
    SCUFF = "scuff"
    DENT = "dent"
    CHIP = "chip"
    CRACK = "crack"
    DISCOLOURATION = "discolouration"
    DEAD_PIXEL = "dead_pixel"
    BURN_IN = "burn_in"
    WORN_KEYS = "worn_keys"
    MISSING_PART = "missing_part"


class DefectSeverity(enum.StrEnum):
    """How visible a defect is, on the distance scale Back Market's grades are written in."""

    MICRO = "micro"  # invisible at 20 cm
    LIGHT = "light"  # visible at 20 cm, invisible at 50 cm
    VISIBLE = "visible"  # visible at 50 cm
    HEAVY = "heavy"  # deep, sharp or structural: not sellable as is


class NistLevel(enum.StrEnum):
    CLEAR = "clear"
    PURGE = "purge"
    DESTROY = "destroy"


class ErasureStatus(enum.StrEnum):
    ERASED = "erased"
    FAILED = "failed"
    ABORTED = "aborted"


class VerificationResult(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_VERIFIED = "not verified"


def storage_gb(storage_bytes: int | None) -> int | None:
    """Marketing capacity in GB (decimal, as printed on the box); unknown (or a zero nobody sells) stays None."""
    return round(storage_bytes / 1_000_000_000) if storage_bytes else None


def _check_non_negative(name: str, value: float | int | None) -> None:
    if value is not None and value < 0:
        raise ReadingError(f"{name} cannot be negative (got {value})")
    if isinstance(value, float) and not math.isfinite(value):  # NaN passes "< 0"; neither is a measurement
        raise ReadingError(f"{name} must be a finite number (got {value})")


def _coerce(field_type: Any, value: Any) -> Any:
    """Turn a JSON value back into the field's declared type (enums, datetimes, tuples, nested readings)."""
    if value is None:
        return None
    options = [arg for arg in typing.get_args(field_type) if arg is not type(None)]
    if typing.get_origin(field_type) in (types.UnionType, typing.Union) and len(options) == 1:
        field_type = options[0]
    if isinstance(field_type, type) and issubclass(field_type, enum.Enum):
        try:
            return field_type(value)
        except ValueError as exc:
            raise ReadingError(f"{value!r} is not a valid {field_type.__name__}") from exc
    if isinstance(field_type, type) and issubclass(field_type, _Record):
        return field_type.from_record(value)
    if field_type is datetime:
        return datetime.fromisoformat(value)
    if typing.get_origin(field_type) is tuple:
        (item_type, *_rest) = typing.get_args(field_type)
        return tuple(_coerce(item_type, item) for item in value)
    return value


class _Record:
    """JSON round trip shared by every reading."""

    def as_record(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            out[field.name] = _to_json(value)
        return out

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Self:
        if not isinstance(record, Mapping):
            raise ReadingError(f"cannot build {cls.__name__} from a {type(record).__name__}")
        hints = typing.get_type_hints(cls)
        kwargs: dict[str, Any] = {}
        try:
            for field in dataclasses.fields(cls):  # type: ignore[arg-type]
                if field.name in record:
                    kwargs[field.name] = _coerce(hints[field.name], record[field.name])
            return cls(**kwargs)
        except ReadingError:
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            # A stored value of the wrong type (a date that is a number, a tuple that is a number, a make that is
            # not text) surfaces here, from the coercion or from the reading's own checks.
            raise ReadingError(
                f"cannot build {cls.__name__} from the record ({sorted(map(str, record))}): {exc}"
            ) from exc


def _to_json(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.as_record()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceIdentity(_Record):
    """Who the device says it is. IMEIs are the normalised 15-digit strings; storage is in bytes."""

    family: DeviceFamily
    make: str
    model: str
    model_number: str | None = None
    serial: str | None = None
    imeis: tuple[str, ...] = ()
    os_name: str | None = None
    os_version: str | None = None
    storage_bytes: int | None = None
    colour: str | None = None
    hardware_id: str | None = None  # UDID for iOS, adb serial for Android, DMI UUID for laptops
    source: str | None = None  # how it was read when not the usual way, e.g. "modem /dev/ttyACM0 (AT+DEVCONINFO)"

    def __post_init__(self) -> None:
        if not self.make.strip() or not self.model.strip():
            raise ReadingError("a device identity needs a make and a model")
        if not self.serial and not self.imeis:
            raise ReadingError("a device identity needs a serial number or an IMEI")
        _check_non_negative("storage", self.storage_bytes)

    @property
    def primary_imei(self) -> str | None:
        return self.imeis[0] if self.imeis else None

    @property
    def storage_gb(self) -> int | None:
        return storage_gb(self.storage_bytes)


@dataclasses.dataclass(frozen=True, slots=True)
class BatteryReading(_Record):
    """Battery as read from the device. ``state_of_health`` is the device's own figure, in percent, when it has one."""

    source: str
    design_capacity: float | None = None
    full_charge_capacity: float | None = None
    unit: CapacityUnit | None = None
    cycle_count: int | None = None
    state_of_health: float | None = None
    raw: tuple[tuple[str, str], ...] = ()  # every key/value the source gave, as text

    def __post_init__(self) -> None:
        _check_non_negative("design capacity", self.design_capacity)
        _check_non_negative("full-charge capacity", self.full_charge_capacity)
        _check_non_negative("cycle count", self.cycle_count)
        _check_non_negative("state of health", self.state_of_health)
        if (self.design_capacity is not None or self.full_charge_capacity is not None) and self.unit is None:
            raise ReadingError("battery capacities need a unit")

    @property
    def soh_percent(self) -> float | None:
        """State of health in percent: the device's figure if it gave one, else full-charge / design capacity."""
        if self.state_of_health is not None:
            return self.state_of_health
        if self.design_capacity and self.full_charge_capacity is not None:
            return round(100.0 * self.full_charge_capacity / self.design_capacity, 1)
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class LockCheck(_Record):
    state: LockState
    evidence: str = ""


_UNKNOWN = LockCheck(LockState.UNKNOWN, "not checked")


@dataclasses.dataclass(frozen=True, slots=True)
class LockStatus(_Record):
    """Every account / management lock the station knows, each on, off, unknown or not applicable, with evidence."""

    source: str
    icloud: LockCheck = _UNKNOWN
    google_frp: LockCheck = _UNKNOWN
    samsung: LockCheck = _UNKNOWN
    mdm: LockCheck = _UNKNOWN
    firmware_password: LockCheck = _UNKNOWN
    computrace: LockCheck = _UNKNOWN

    def check(self, kind: LockKind) -> LockCheck:
        result: LockCheck = getattr(self, kind.value)
        return result

    def items(self) -> tuple[tuple[LockKind, LockCheck], ...]:
        return tuple((kind, self.check(kind)) for kind in LockKind)


@dataclasses.dataclass(frozen=True, slots=True)
class FunctionalResult(_Record):
    test_id: str
    outcome: TestOutcome
    measured_by: MeasuredBy
    note: str = ""
    evidence: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.test_id.strip():
            raise ReadingError("a functional result needs a test id")


@dataclasses.dataclass(frozen=True, slots=True)
class CosmeticDefect(_Record):
    zone: DefectZone
    kind: DefectKind
    severity: DefectSeverity
    note: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class ErasureOutcome(_Record):
    """What an erasure did, in the terms of NIST SP 800-88 Appendix G and nwipe's report."""

    method: str  # e.g. "Apple erase all content and settings", "overwrite zeros, 1 pass"
    nist_level: NistLevel
    status: ErasureStatus
    started_at: datetime
    finished_at: datetime
    tool: str
    tool_version: str
    verification: str  # "none", "last pass", "all passes", "sampled 10%", "device report"
    verification_result: VerificationResult
    media: str = ""  # media make / model / serial / type, where the device has separate media
    bytes_erased: int | None = None
    errors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.finished_at < self.started_at:
            raise ReadingError("an erasure cannot finish before it starts")
        if self.status is ErasureStatus.ERASED and self.verification_result is VerificationResult.FAILED:
            raise ReadingError("an erasure whose verification failed is FAILED, not ERASED")
        if self.status is ErasureStatus.ERASED and self.errors:
            raise ReadingError("an erasure with errors is FAILED, not ERASED")
        _check_non_negative("bytes erased", self.bytes_erased)

    @property
    def succeeded(self) -> bool:
        return self.status is ErasureStatus.ERASED


Reading = DeviceIdentity | BatteryReading | LockStatus | FunctionalResult | CosmeticDefect | ErasureOutcome
