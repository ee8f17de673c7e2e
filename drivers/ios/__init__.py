"""iPhones and iPads through usbmuxd and lockdownd (pymobiledevice3): identity, battery, locks, pairing, erase."""

from drivers.ios.driver import (
    AttachedDevice,
    IosBench,
    IosEvent,
    IosEventKind,
    IosInspection,
    Step,
    StepError,
)
from drivers.ios.errors import (
    BadAnswer,
    DeviceGone,
    DeviceRefused,
    DeviceTimeout,
    IosError,
    PairingRequired,
    PairingStatus,
    UsbmuxdUnavailable,
)

__all__ = [
    "AttachedDevice",
    "BadAnswer",
    "DeviceGone",
    "DeviceRefused",
    "DeviceTimeout",
    "IosBench",
    "IosError",
    "IosEvent",
    "IosEventKind",
    "IosInspection",
    "PairingRequired",
    "PairingStatus",
    "Step",
    "StepError",
    "UsbmuxdUnavailable",
]
