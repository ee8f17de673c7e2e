"""The Android driver's public names under their former module, for callers written before the split
(``app/bench``, ``app/commands``). New code imports them from :mod:`drivers.android`."""

from drivers.android import (
    DEFAULT_TIMEOUT,
    AndroidBattery,
    AndroidBench,
    AndroidIdentity,
    AndroidInspection,
    AndroidPhone,
    AttachedDevice,
    BenchEvent,
    DeviceTracker,
    ShellResult,
    iter_inspections,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "AndroidBattery",
    "AndroidBench",
    "AndroidIdentity",
    "AndroidInspection",
    "AndroidPhone",
    "AttachedDevice",
    "BenchEvent",
    "DeviceTracker",
    "ShellResult",
    "iter_inspections",
]
