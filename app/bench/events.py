"""What the bench reports, as frozen values: the GUI (or a test, or a log) folds them into what it shows.

Every event names its device by ``key`` ("ios:<udid>", "android:<serial>", "laptop:<agent>") and by ``session``:
each attach of a device starts a new session, so a late event from a supervisor that was already stopped can be told
apart.
"""

from __future__ import annotations

import dataclasses
import enum

from app.bench.actions import NextAction
from audit.readings import BatteryReading, DeviceIdentity, FunctionalResult, LockStatus


class Platform(enum.StrEnum):
    IOS = "ios"
    ANDROID = "android"
    LAPTOP = "laptop"  # a laptop read by the agent on the machine itself (the demo's simulated one, or this one)


class Step(enum.StrEnum):
    """The automatic steps, in the order a supervisor runs them."""

    IDENTITY = "identity"
    BATTERY = "battery"
    LOCKS = "locks"
    PROBES = "probes"


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceSeen:
    key: str
    session: int
    platform: Platform
    connection: str  # what the driver calls it: UDID, adb serial, or the laptop agent's name
    order: int  # attach order on this bench (tiles are placed by bay, then by this)
    bay: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class StepStarted:
    key: str
    session: int
    step: Step
    index: int  # 0-based position among ``total`` steps
    total: int


@dataclasses.dataclass(frozen=True, slots=True)
class StepProgress:
    key: str
    session: int
    step: str
    percent: int


@dataclasses.dataclass(frozen=True, slots=True)
class ReadingRecorded:
    """A reading was read and (when ``recorded``) written to the device's open inspection."""

    key: str
    session: int
    reading: DeviceIdentity | BatteryReading | LockStatus | FunctionalResult
    device_id: int | None = None
    recorded: bool = True
    assessment: str = ""  # the rule's verdict for battery ("sellable", "worn"...) and locks ("clear", "locked"...)


@dataclasses.dataclass(frozen=True, slots=True)
class NeedsAction:
    """The one thing the bench wants next for this device (a person's action, or "nothing: it is working")."""

    key: str
    session: int
    action: NextAction
    device_id: int | None = None
    state: str | None = None  # the device's lifecycle state on record, when known

    @property
    def message(self) -> str:
        return self.action.text


@dataclasses.dataclass(frozen=True, slots=True)
class Unplugged:
    key: str
    session: int
    interrupted_inspection: int | None = None  # the pass saved as interrupted, if one was open


@dataclasses.dataclass(frozen=True, slots=True)
class Failed:
    """A supervisor could not go on: ``error`` is a sentence for the technician (the log has the details)."""

    key: str
    session: int
    error: str


@dataclasses.dataclass(frozen=True, slots=True)
class DriverStatus:
    """A driver's own health (usbmuxd, the adb server): not about one device."""

    driver: Platform
    ok: bool
    detail: str = ""


DeviceEvent = DeviceSeen | StepStarted | StepProgress | ReadingRecorded | NeedsAction | Unplugged | Failed
BenchEvent = DeviceEvent | DriverStatus
