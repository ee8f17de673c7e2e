"""Android phones over adb (adbutils): discovery, identity, battery, locks, functional probes and erasure.

:class:`AndroidBench` is the transport and factory (one adb server); :class:`AndroidPhone` is one phone, a context
manager, whose methods each read one capability (``identity``, ``battery``, ``locks``, ``probes``, ``erase``, each in
its own module) and return :mod:`audit.readings` values with their sources. Errors are
:class:`~drivers.android.errors.AndroidError` and its family. Import from here; the modules are the how.
"""

from drivers.android.battery import AndroidBattery
from drivers.android.bench import AndroidBench, iter_inspections
from drivers.android.client import DEFAULT_TIMEOUT
from drivers.android.discovery import AttachedDevice, BenchEvent, DeviceTracker
from drivers.android.identity import AndroidIdentity
from drivers.android.phone import AndroidInspection, AndroidPhone
from drivers.android.shell import ShellResult

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
