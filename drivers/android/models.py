"""Marketing names of Android phones, from the table in ``resources/android_models.json``.

A phone reports a model number (SM-G991B), a codename (shiba) or a name (moto g(60)); buyers know "Galaxy S21 5G",
"Pixel 8", "Moto G60". An unknown model keeps what the phone reported: the name is then ``None``, never a guess.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from importlib import resources
from typing import Any

_SAMSUNG_BASE = re.compile(r"^(SM-[A-Z]\d{3})")


@dataclasses.dataclass(frozen=True, slots=True)
class MarketingName:
    name: str
    source: str  # which table entry matched, e.g. "android_models.json samsung SM-G991"


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    text = resources.files("resources").joinpath("android_models.json").read_text(encoding="utf-8")
    data: Any = json.loads(text)
    return {
        brand: {str(key).casefold(): str(value) for key, value in entries.items()}
        for brand, entries in data.items()
        if isinstance(entries, dict)
    }


def _brand_key(brand: str, manufacturer: str) -> str:
    names = f"{brand} {manufacturer}".casefold()
    for key in ("samsung", "google", "xiaomi", "oneplus", "motorola"):
        if key in names or (key == "xiaomi" and ("redmi" in names or "poco" in names)):
            return key
    return ""


def marketing_name(brand: str, manufacturer: str, model: str, device: str = "") -> MarketingName | None:
    """The marketing name for what the phone reports, or None when the table does not know it."""
    table = _table()
    key = _brand_key(brand, manufacturer)
    candidates: list[str] = []
    if key == "samsung":
        base = _SAMSUNG_BASE.match(model.strip().upper())
        if base:
            candidates.append(base[1])
    elif key == "google":
        candidates.append(device.strip())
    candidates.append(model.strip())
    entries = table.get(key, {})
    for candidate in candidates:
        name = entries.get(candidate.casefold())
        if name:
            return MarketingName(name, f"android_models.json {key} {candidate}")
    return None


_MAKES = {"samsung": "Samsung", "google": "Google", "xiaomi": "Xiaomi", "oneplus": "OnePlus", "motorola": "Motorola"}


def make_name(brand: str, manufacturer: str) -> str:
    """The maker as people write it ("samsung" -> "Samsung"); an unknown maker keeps the phone's own spelling."""
    key = _brand_key(brand, manufacturer)
    if key:
        return _MAKES[key]
    chosen = manufacturer.strip() or brand.strip()
    return chosen[:1].upper() + chosen[1:] if chosen else ""
