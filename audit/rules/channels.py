"""Sales channels: every threshold the rules use, per channel, loaded from ``resources/channels.json``.

Back Market Pro is the default because its FAQ is the strictest published rule set (battery >= 85 %).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from audit.rules._data import DataObject, read_json
from audit.rules.errors import RuleDataError

__all__ = [
    "DEFAULT_CHANNEL_NAME",
    "RuleDataError",
    "SalesChannel",
    "TradeInPolicy",
    "channel_names",
    "load_channel",
    "parse_channels",
]

DEFAULT_CHANNEL_NAME = "backmarket_pro"
_FILE = "channels.json"


@dataclass(frozen=True, slots=True)
class TradeInPolicy:
    """Percentages taken off a trade-in quote when the audit finds less than was declared.

    ``battery_percent`` is keyed by battery verdict value ("sellable", "replace", "worn", "unknown").
    Percentages add up and the total is capped at 100 %, so an adjusted price is never negative.
    """

    grade_step_percent: Decimal
    battery_percent: tuple[tuple[str, Decimal], ...]  # pairs, not a dict, so that the policy stays hashable
    missing_charger_percent: Decimal
    charger_required_families: frozenset[str]
    storage_lower_percent: Decimal

    def battery_percent_for(self, verdict: str) -> Decimal:
        for key, percent in self.battery_percent:
            if key == verdict:
                return percent
        raise RuleDataError(f"the trade-in policy has no battery adjustment for verdict {verdict!r}")


@dataclass(frozen=True, slots=True)
class SalesChannel:
    name: str
    label: str
    battery_sellable_min_soh: float
    battery_worn_below_soh: float
    phone_cycle_flag: int
    laptop_cycle_flag: int
    warranty_months: int
    quote_validity_months: int
    tablet_cycle_flag: int = 500
    # A SoH far above 100 % is a mis-read (wrong unit, design capacity of another model), not a great battery.
    battery_max_plausible_soh: float = 110.0
    tradein: TradeInPolicy | None = None

    def __post_init__(self) -> None:
        if not 0 < self.battery_worn_below_soh <= self.battery_sellable_min_soh <= 100:
            raise RuleDataError(
                f"channel {self.name!r}: need 0 < worn-below SoH ({self.battery_worn_below_soh}) "
                f"<= sellable SoH ({self.battery_sellable_min_soh}) <= 100"
            )
        if self.battery_max_plausible_soh < 100:
            raise RuleDataError(
                f"channel {self.name!r}: the plausible SoH ceiling ({self.battery_max_plausible_soh}) "
                "cannot be below 100 %"
            )
        for field_name in ("phone_cycle_flag", "laptop_cycle_flag", "tablet_cycle_flag"):
            if getattr(self, field_name) < 1:
                raise RuleDataError(f"channel {self.name!r}: {field_name} must be at least 1")
        if self.warranty_months < 0 or self.quote_validity_months < 0:
            raise RuleDataError(f"channel {self.name!r}: warranty and quote validity cannot be negative")


_BATTERY_VERDICT_KEYS = ("sellable", "replace", "worn", "unknown")
_PERCENT_MAX = Decimal(100)


def _parse_tradein(data: DataObject) -> TradeInPolicy:
    battery = data.obj("battery_percent")
    battery_percent = tuple((key, battery.decimal(key, maximum=_PERCENT_MAX)) for key in _BATTERY_VERDICT_KEYS)
    battery.finish()
    policy = TradeInPolicy(
        grade_step_percent=data.decimal("grade_step_percent", maximum=_PERCENT_MAX),
        battery_percent=battery_percent,
        missing_charger_percent=data.decimal("missing_charger_percent", maximum=_PERCENT_MAX),
        charger_required_families=frozenset(data.texts("charger_required_families")),
        storage_lower_percent=data.decimal("storage_lower_percent", maximum=_PERCENT_MAX),
    )
    data.finish()
    return policy


def _parse_channel(name: str, data: DataObject) -> SalesChannel:
    channel = SalesChannel(
        name=name,
        label=data.text("label"),
        battery_sellable_min_soh=data.number("battery_sellable_min_soh", maximum=100),
        battery_worn_below_soh=data.number("battery_worn_below_soh", maximum=100),
        phone_cycle_flag=data.integer("phone_cycle_flag", minimum=1),
        tablet_cycle_flag=data.integer("tablet_cycle_flag", minimum=1),
        laptop_cycle_flag=data.integer("laptop_cycle_flag", minimum=1),
        battery_max_plausible_soh=data.number("battery_max_plausible_soh", minimum=100),
        warranty_months=data.integer("warranty_months"),
        quote_validity_months=data.integer("quote_validity_months"),
        tradein=_parse_tradein(data.obj("tradein")),
    )
    data.finish()
    return channel


def parse_channels(raw: object, where: str = _FILE) -> dict[str, SalesChannel]:
    """Build every channel from the parsed JSON document (exposed so that bad data can be tested)."""
    document = DataObject(raw, where)
    channels_data = document.obj("channels")
    channels = {name: _parse_channel(name, channels_data.obj(name)) for name in channels_data.keys()}  # noqa: SIM118
    channels_data.finish()
    document.raw("version")
    document.finish()
    if DEFAULT_CHANNEL_NAME not in channels:
        raise RuleDataError(f"{where}: the default channel {DEFAULT_CHANNEL_NAME!r} is missing")
    return channels


@functools.cache
def _all_channels() -> dict[str, SalesChannel]:
    return parse_channels(read_json(_FILE))


def channel_names() -> tuple[str, ...]:
    return tuple(_all_channels())


def load_channel(name: str = DEFAULT_CHANNEL_NAME) -> SalesChannel:
    try:
        return _all_channels()[name]
    except KeyError:
        known = ", ".join(channel_names())
        raise RuleDataError(f"unknown sales channel {name!r} (known: {known})") from None
