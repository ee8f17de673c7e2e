"""Pure parsers: what lockdownd and the diagnostics relay answer, turned into readings.

No I/O here. Every function takes the plist values as the device sent them (any shape: a device may send garbage)
and returns a reading in which whatever is missing or malformed is unknown (``None``), never a made-up value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from audit.readings import (
    BatteryReading,
    CapacityUnit,
    DeviceFamily,
    DeviceIdentity,
    LockCheck,
    LockState,
    LockStatus,
    ReadingError,
)
from drivers.ios.errors import BadAnswer
from drivers.ios.models import Catalogue, load_catalogue

MAKE = "Apple"
LOCK_SOURCE = "iOS lockdown: ActivationState, com.apple.fmip IsAssociated, com.apple.mobile.chaperone, MCInstall"
_IMEI_KEYS = ("InternationalMobileEquipmentIdentity", "InternationalMobileEquipmentIdentity2")
_RAW_TEXT_LIMIT = 200
_RAW_DEPTH_LIMIT = 16  # an IORegistry entry nests a few levels; deeper is garbage, kept as a marker
_CAPACITY_LIMIT = 1_000_000  # mAh: no phone or tablet battery comes near
# IsAssociated is false on a device sitting in Setup Assistant even when Activation Lock is on (the lock lives on
# Apple's activation server); only an activated device's "false" says that Find My is off.
FMIP_LIMITATION = (
    "com.apple.fmip IsAssociated reads false on a device that is not activated (Setup Assistant) even when "
    "Activation Lock is on; only Apple's activation server can tell"
)
NOT_ANDROID = LockCheck(LockState.NOT_APPLICABLE, "not an Android device")
NOT_A_LAPTOP = LockCheck(LockState.NOT_APPLICABLE, "laptop firmware lock: none on an iPhone or iPad")


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _count(value: object) -> int | None:
    """A non-negative integer, else unknown (a bool is not a count; plists carry both)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _capacity(value: object) -> float | None:
    count = _count(value)
    if count is None or count > _CAPACITY_LIMIT:
        return None
    return float(count) if count else None  # a capacity of 0 mAh is a missing value, not a flat battery


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def normalize_imei(value: object) -> str | None:
    """A 15-digit Luhn-valid IMEI from what lockdown reports ("35 123456 789012 3" and such), else None."""
    text = _text(value)
    if text is None:
        return None
    digits = re.sub(r"[\s\-]", "", text)
    if len(digits) != 15 or not digits.isascii() or not digits.isdigit() or not _luhn_ok(digits):
        return None
    return digits


def _family(values: Mapping[str, Any], catalogue: Catalogue) -> DeviceFamily | None:
    model = catalogue.lookup(values.get("ProductType"))
    if model is not None:
        return model.family
    for source in (values.get("DeviceClass"), values.get("ProductType")):
        text = _text(source) or ""
        if text.startswith("iPhone"):
            return DeviceFamily.IPHONE
        if text.startswith("iPad"):
            return DeviceFamily.IPAD
    return None


def identity_from_values(
    values: object, *, disk_usage: object = None, catalogue: Catalogue | None = None
) -> DeviceIdentity:
    """A DeviceIdentity from lockdown's GetValue (all values) and the ``com.apple.disk_usage`` domain.

    Raises :class:`BadAnswer` when the values cannot identify a device (not a dict, not an iPhone/iPad, no serial
    and no IMEI).
    """
    catalogue = catalogue or load_catalogue()
    if not isinstance(values, Mapping):
        raise BadAnswer("lockdown's values are not a dictionary", None, values)
    udid = _text(values.get("UniqueDeviceID"))
    family = _family(values, catalogue)
    if family is None:
        raise BadAnswer(f"not an iPhone or iPad (ProductType {values.get('ProductType')!r})", udid, dict(values))
    product_type = _text(values.get("ProductType"))
    model = catalogue.lookup(product_type)
    name = model.name if model else (product_type or f"unknown {family.value}")
    model_number = _text(values.get("ModelNumber"))
    region = _text(values.get("RegionInfo"))
    if model_number and region:
        model_number += region
    imeis = tuple(imei for imei in (normalize_imei(values.get(key)) for key in _IMEI_KEYS) if imei)
    storage = None
    if isinstance(disk_usage, Mapping):
        storage = catalogue.marketing_storage_bytes(disk_usage.get("TotalDiskCapacity"))
    colour = model.colour(values.get("DeviceEnclosureColor")) if model else None
    try:
        return DeviceIdentity(
            family=family,
            make=MAKE,
            model=name,
            model_number=model_number,
            serial=_text(values.get("SerialNumber")),
            imeis=tuple(dict.fromkeys(imeis)),
            os_name="iPadOS" if family is DeviceFamily.IPAD else "iOS",
            os_version=_text(values.get("ProductVersion")),
            storage_bytes=storage,
            colour=colour,
            hardware_id=udid,
        )
    except ReadingError as exc:
        raise BadAnswer(f"the device's values do not identify it: {exc}", udid, dict(values)) from exc


def _flatten(prefix: str, value: object, out: list[tuple[str, str]], depth: int = 0) -> None:
    if isinstance(value, Mapping) and depth >= _RAW_DEPTH_LIMIT:
        out.append((prefix, "<nested too deep>"))
        return
    if isinstance(value, Mapping):
        for key in sorted(value, key=str):
            _flatten(f"{prefix}.{key}" if prefix else str(key), value[key], out, depth + 1)
        return
    if isinstance(value, bytes | bytearray):
        text = f"<{len(value)} bytes>"
    elif isinstance(value, int) and abs(value) >= 10**300:  # str() refuses 4300 digits; no register holds 300
        text = "<huge integer>"
    else:
        text = str(value)
    out.append((prefix, text[:_RAW_TEXT_LIMIT]))


def battery_from_registry(registry: object, source: str) -> BatteryReading | None:
    """A BatteryReading from an IORegistry entry (IOPMPowerSource / AppleSmartBattery / AppleARMPMUCharger).

    Design capacity is ``DesignCapacity`` (or ``BatteryData.DesignCapacity``); full-charge capacity is
    ``NominalChargeCapacity``, else ``AppleRawMaxCapacity`` (both mAh). ``MaxCapacity`` is never used: recent iOS
    reports it as 100 (a percentage), which would read as a perfect battery. The device states no health figure of
    its own here, so ``state_of_health`` stays unknown and the reading derives it from the two capacities, if any.
    Returns None when the entry is not a dictionary or is empty.
    """
    if not isinstance(registry, Mapping) or not registry:
        return None
    data = registry.get("BatteryData")
    data = data if isinstance(data, Mapping) else {}
    design = _capacity(registry.get("DesignCapacity")) or _capacity(data.get("DesignCapacity"))
    full = _capacity(registry.get("NominalChargeCapacity")) or _capacity(registry.get("AppleRawMaxCapacity"))
    cycles = _count(registry.get("CycleCount"))
    if cycles is None:
        cycles = _count(data.get("CycleCount"))
    raw: list[tuple[str, str]] = []
    _flatten("", registry, raw)
    return BatteryReading(
        source=source,
        design_capacity=design,
        full_charge_capacity=full,
        unit=CapacityUnit.MAH if design is not None or full is not None else None,
        cycle_count=cycles,
        raw=tuple(raw),
    )


def _icloud(activation_state: object, fmip_associated: object) -> LockCheck:
    state = _text(activation_state)
    if fmip_associated is True:
        return LockCheck(LockState.ON, "Find My is on (com.apple.fmip IsAssociated = true): Activation Lock is on")
    if fmip_associated is False and state == "Activated":
        return LockCheck(LockState.OFF, "Find My is off (com.apple.fmip IsAssociated = false) on an activated device")
    if fmip_associated is False:
        return LockCheck(
            LockState.UNKNOWN,
            f"check required: IsAssociated = false but ActivationState = {state or 'unknown'}; {FMIP_LIMITATION}",
        )
    if fmip_associated is None:
        return LockCheck(LockState.UNKNOWN, "check required: the device did not report com.apple.fmip IsAssociated")
    return LockCheck(
        LockState.UNKNOWN, f"check required: com.apple.fmip IsAssociated has an unexpected value {fmip_associated!r}"
    )


def _mdm(chaperone: object, cloud_configuration: object) -> LockCheck:
    supervised = chaperone.get("DeviceIsChaperoned") if isinstance(chaperone, Mapping) else None
    if supervised is True:
        return LockCheck(LockState.ON, "supervised (com.apple.mobile.chaperone DeviceIsChaperoned = true)")
    if isinstance(cloud_configuration, Mapping) and cloud_configuration:
        managed = any(
            cloud_configuration.get(key) is True for key in ("IsSupervised", "IsMandatory", "IsMDMUnremovable")
        ) or bool(_text(cloud_configuration.get("ConfigurationURL")))
        if managed:
            organisation = _text(cloud_configuration.get("OrganizationName")) or "unknown organisation"
            return LockCheck(LockState.ON, f"remote management (MCInstall cloud configuration of {organisation})")
    if supervised is False and isinstance(cloud_configuration, Mapping):
        return LockCheck(LockState.OFF, "not supervised (DeviceIsChaperoned = false) and no cloud configuration")
    if supervised is False:
        return LockCheck(LockState.UNKNOWN, "check required: not supervised, but the cloud configuration was not read")
    return LockCheck(LockState.UNKNOWN, "check required: the device did not report its supervision state")


def locks_from_values(
    *,
    activation_state: object,
    fmip_associated: object,
    chaperone: object = None,
    cloud_configuration: object = None,
) -> LockStatus:
    """The lock verdicts from what lockdown and MCInstall report. ``None`` means "not read"."""
    return LockStatus(
        source=LOCK_SOURCE,
        icloud=_icloud(activation_state, fmip_associated),
        google_frp=NOT_ANDROID,
        samsung=NOT_ANDROID,
        mdm=_mdm(chaperone, cloud_configuration),
        firmware_password=NOT_A_LAPTOP,
        computrace=NOT_A_LAPTOP,
    )
