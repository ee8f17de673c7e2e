"""What a laptop agent's readings prove of the laptop test plan's automatic steps (``battery``, ``storage_health``).

The bench (a laptop on the station) and a bundle import judge the same readings the same way: these rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from audit.readings import BatteryReading, FunctionalResult, MeasuredBy, TestOutcome


def battery_probe(batteries: Sequence[BatteryReading], problems: Sequence[str]) -> FunctionalResult | None:
    """The plan's ``battery`` step as far as a reading can tell; a swollen battery is still the bench's to see."""
    if not batteries:
        if any(p.startswith("battery") for p in problems):
            return None  # the agent could not read: unknown, not absent
        return FunctionalResult("battery", TestOutcome.FAIL, MeasuredBy.AUTOMATIC, "no battery reported")
    if any(b.soh_percent is None for b in batteries):
        return None
    evidence = tuple((b.source, f"{b.soh_percent} %, {b.cycle_count} cycles") for b in batteries)
    return FunctionalResult("battery", TestOutcome.PASS, MeasuredBy.AUTOMATIC, "read by the agent", evidence)


def storage_probe(disks: Sequence[Any]) -> FunctionalResult | None:
    """The plan's ``storage_health`` step from the internal disks' SMART / NVMe health; unknown stays unknown."""
    internal = [d for d in disks if isinstance(d, Mapping) and d.get("transport") != "usb"]
    if not internal:
        return None
    evidence = tuple(
        (str(d.get("device")), f"{d.get('health')}: {'; '.join(map(str, d.get('reasons') or []))}") for d in internal
    )
    damaged = [
        d
        for d in internal
        if d.get("health") == "failing"
        or any(
            isinstance(d.get(k), int) and d[k] > 0 for k in ("reallocated_sectors", "pending_sectors", "media_errors")
        )
    ]
    if damaged:
        note = "failing or damaged: " + ", ".join(str(d.get("device")) for d in damaged)
        return FunctionalResult("storage_health", TestOutcome.FAIL, MeasuredBy.AUTOMATIC, note, evidence)
    if any(d.get("health") not in ("good", "warning") for d in internal):
        return None
    return FunctionalResult("storage_health", TestOutcome.PASS, MeasuredBy.AUTOMATIC, "read by the agent", evidence)
