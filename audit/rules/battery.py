"""Battery verdict: sellable, replace before sale, worn, or unknown, against a sales channel's thresholds."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from audit.readings import BatteryReading, DeviceFamily
from audit.rules.channels import SalesChannel


class BatteryVerdict(enum.StrEnum):
    SELLABLE = "sellable"
    REPLACE = "replace"  # works, but below the channel's minimum: replace before sale
    WORN = "worn"  # below the makers' 80 % wear line
    UNKNOWN = "unknown"  # no trustworthy state of health: never assumed good


@dataclass(frozen=True, slots=True)
class BatteryAssessment:
    verdict: BatteryVerdict
    soh_percent: float | None  # as read, even when judged implausible, so that the technician sees the mis-read
    cycle_flagged: bool | None  # None when the cycle count is unknown
    reasons: tuple[str, ...]


def cycle_flag_threshold(family: DeviceFamily, channel: SalesChannel, *, rated_cycles: int | None = None) -> int:
    """Cycle count from which a battery is flagged; a laptop's maker rating, when known, beats the default."""
    if family is DeviceFamily.LAPTOP:
        return rated_cycles if rated_cycles is not None and rated_cycles > 0 else channel.laptop_cycle_flag
    if family is DeviceFamily.IPAD:
        return channel.tablet_cycle_flag
    return channel.phone_cycle_flag


def _soh_verdict(soh: float | None, channel: SalesChannel) -> tuple[BatteryVerdict, str]:
    if soh is None:
        return (
            BatteryVerdict.UNKNOWN,
            "state of health unknown: no SoH and no capacities were read; check it by hand",
        )
    if soh > channel.battery_max_plausible_soh:
        return (
            BatteryVerdict.UNKNOWN,
            f"state of health {soh:.1f} % is implausible (above {channel.battery_max_plausible_soh:.0f} %): "
            "re-read the battery",
        )
    if soh >= channel.battery_sellable_min_soh:
        return (
            BatteryVerdict.SELLABLE,
            f"state of health {soh:.1f} % meets the {channel.label} minimum of "
            f"{channel.battery_sellable_min_soh:.0f} %",
        )
    if soh >= channel.battery_worn_below_soh:
        return (
            BatteryVerdict.REPLACE,
            f"state of health {soh:.1f} % is below the {channel.label} minimum of "
            f"{channel.battery_sellable_min_soh:.0f} %: replace the battery before sale",
        )
    return (
        BatteryVerdict.WORN,
        f"state of health {soh:.1f} % is below {channel.battery_worn_below_soh:.0f} %: the battery is worn",
    )


def assess_battery(
    reading: BatteryReading,
    family: DeviceFamily,
    channel: SalesChannel,
    *,
    rated_cycles: int | None = None,
) -> BatteryAssessment:
    soh = reading.soh_percent
    verdict, soh_reason = _soh_verdict(soh, channel)
    reasons = [soh_reason]
    cycle_flagged: bool | None = None
    if reading.cycle_count is None:
        reasons.append("cycle count unknown")
    else:
        threshold = cycle_flag_threshold(family, channel, rated_cycles=rated_cycles)
        cycle_flagged = reading.cycle_count >= threshold
        if cycle_flagged:
            # A high count is a warning sign, not a verdict: the SoH decides (Back Market FAQ).
            reasons.append(f"{reading.cycle_count} charge cycles reaches the flag at {threshold}: check autonomy")
    return BatteryAssessment(verdict=verdict, soh_percent=soh, cycle_flagged=cycle_flagged, reasons=tuple(reasons))
