"""Who an Android phone says it is: make, model and marketing name, serial, Android version, storage, IMEIs.

Every value keeps where it came from (``sources``); IMEIs come from ``service call iphonesubinfo`` (transactions per
SDK level), best effort, and are Luhn-checked: an invalid one is reported, never used as the identity.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from audit.readings import DeviceFamily, DeviceIdentity
from drivers.android import parsers
from drivers.android.errors import AdbProtocolError, CommandTimeout
from drivers.android.models import make_name, marketing_name
from drivers.android.shell import PhoneShell

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class AndroidIdentity:
    """Who the phone says it is, with where each value came from. ``imeis`` holds every IMEI read, valid or not;
    only the Luhn-valid ones are in ``identity.imeis``."""

    identity: DeviceIdentity
    marketing_name: str | None
    android_version: str | None
    sdk: int | None
    security_patch: str | None
    imeis: tuple[parsers.ImeiReading, ...]
    sources: tuple[tuple[str, str], ...]
    props: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    via: str = "adb"  # or "modem /dev/ttyACM0" when adb could not be used (drivers.android.modem)

    @property
    def invalid_imeis(self) -> tuple[parsers.ImeiReading, ...]:
        return tuple(reading for reading in self.imeis if not reading.luhn_valid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "identity": self.identity.as_record(),
            "marketing_name": self.marketing_name,
            "android_version": self.android_version,
            "sdk": self.sdk,
            "security_patch": self.security_patch,
            "imeis": [dataclasses.asdict(reading) for reading in self.imeis],
            "sources": dict(self.sources),
            "via": self.via,
        }


def read_identity(phone: PhoneShell) -> AndroidIdentity:
    props = phone.props()
    sources: list[tuple[str, str]] = []
    brand = props.get("ro.product.brand", "")
    manufacturer = props.get("ro.product.manufacturer", "")
    model_number = props["ro.product.model"]
    make = make_name(brand, manufacturer) or "Unknown"
    sources.append(("make", "getprop ro.product.brand / ro.product.manufacturer"))
    marketing = marketing_name(brand, manufacturer, model_number, props.get("ro.product.device", ""))
    if marketing:
        sources.append(("marketing_name", marketing.source))
    serial, serial_source = serial_of(props, phone.serial)
    sources.append(("serial", serial_source))
    sdk = parsers.parse_sdk(props.get("ro.build.version.sdk"))
    imeis = read_imeis(phone, sdk)
    for reading in imeis:
        sources.append((f"imei {reading.value}", reading.source))
    storage = _storage(phone)
    if storage is not None:
        sources.append(("storage", "df -k /data, rounded up to a power of two GB as Android's Settings does"))
    identity = DeviceIdentity(
        family=DeviceFamily.ANDROID,
        make=make,
        model=marketing.name if marketing else model_number,
        model_number=model_number,
        serial=serial,
        imeis=tuple(dict.fromkeys(reading.value for reading in imeis if reading.luhn_valid)),
        os_name="Android",
        os_version=props.get("ro.build.version.release") or None,
        storage_bytes=storage,
        hardware_id=phone.serial,
    )
    return AndroidIdentity(
        identity=identity,
        marketing_name=marketing.name if marketing else None,
        android_version=props.get("ro.build.version.release") or None,
        sdk=sdk,
        security_patch=parsers.parse_security_patch(props.get("ro.build.version.security_patch")),
        imeis=imeis,
        sources=tuple(sources),
        props=props,
    )


def serial_of(props: Mapping[str, str], adb_serial: str) -> tuple[str, str]:
    """The serial printed on the box, and which property gave it (the adb serial when none does)."""
    # Samsung's adb serial is a USB id; the serial on the box and in Samsung's records is ril.serialnumber.
    for key in ("ril.serialnumber", "ro.serialno", "ro.boot.serialno"):
        value = props.get(key, "").strip()
        if value and value.lower() not in ("unknown", "0", "00000000"):
            return value, f"getprop {key}"
    return adb_serial, "adb serial"


def read_imeis(phone: PhoneShell, sdk: int | None) -> tuple[parsers.ImeiReading, ...]:
    """IMEIs from ``service call iphonesubinfo`` (transactions per SDK level), best effort, Luhn-checked."""
    found: dict[str, parsers.ImeiReading] = {}
    for query in parsers.imei_queries(sdk):
        try:
            result = phone.shell(query.command, check=False)
        except (CommandTimeout, AdbProtocolError) as exc:
            log.info("%s: %s: %s", phone.serial, query.command, exc)
            continue
        value = parsers.imei_from_parcel(result.output)
        if value and value not in found:
            found[value] = parsers.ImeiReading.of(value, f"{query.command} (SDK {sdk}, slot {query.slot})")
    return tuple(found.values())


def _storage(phone: PhoneShell) -> int | None:
    try:
        result = phone.shell("df -k /data", check=False)
    except CommandTimeout:
        return None
    return parsers.marketing_storage_bytes(parsers.parse_df_total_bytes(result.output))
