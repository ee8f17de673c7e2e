"""Pure parsers of what an Android phone prints over adb (text in, values out; no device, no I/O).

Every parser accepts any text: what it cannot read comes back as ``None`` (unknown) or an empty collection, never a
made-up value and never an exception. Units are the device's own until a parser says otherwise: ``dumpsys battery``
gives µAh, mV and tenths of a °C; sysfs gives µAh.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

# ---------------------------------------------------------------------------------------------------------------------
# IMEI check (a local copy: drivers may import only audit.readings from the core)


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` (an IMEI's 15 digits) passes the Luhn check."""
    if len(digits) < 2 or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclasses.dataclass(frozen=True, slots=True)
class ImeiReading:
    """An IMEI as a source gave it, with its Luhn verdict. An invalid one is reported, never used as an identity."""

    value: str
    source: str
    luhn_valid: bool

    @classmethod
    def of(cls, value: str, source: str) -> ImeiReading:
        digits = value.strip()
        return cls(digits, source, len(digits) == 15 and luhn_valid(digits))


# ---------------------------------------------------------------------------------------------------------------------
# getprop

_PROP_LINE = re.compile(r"^\[(?P<key>[^\]\s]+)\]: \[(?P<value>.*)\]\s*$")


def parse_getprop(text: str) -> dict[str, str]:
    """``getprop`` (all properties) as a dict; lines that are not ``[key]: [value]`` are ignored."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        match = _PROP_LINE.match(line.strip())
        if match:
            props[match["key"]] = match["value"]
    return props


def parse_sdk(value: str | None) -> int | None:
    if value is None or not re.fullmatch(r"[0-9]{1,3}", value.strip()):  # ASCII digits only ("¹" is a digit too)
        return None
    sdk = int(value.strip())
    return sdk if 1 <= sdk <= 99 else None


_PATCH = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_security_patch(value: str | None) -> str | None:
    return value.strip() if value and _PATCH.match(value.strip()) else None


# ---------------------------------------------------------------------------------------------------------------------
# storage (df -k /data)


def parse_df_total_bytes(text: str) -> int | None:
    """Size of /data from ``df -k /data`` (toybox: Filesystem 1K-blocks Used Available Use% Mounted on)."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[-1] == "/data" and re.fullmatch(r"[0-9]{1,15}", fields[1]):
            return int(fields[1]) * 1024
    return None


def marketing_storage_bytes(partition_bytes: int | None) -> int | None:
    """The capacity printed on the box: the /data size rounded up to a power of two GB, as Android's Settings does.

    /data is smaller than the flash (system partitions take their share), hence rounding up, never down.
    """
    if partition_bytes is None or partition_bytes <= 0:
        return None
    gigabytes = 1
    while gigabytes * 1_000_000_000 < partition_bytes and gigabytes < 1 << 16:
        gigabytes *= 2
    return gigabytes * 1_000_000_000


# ---------------------------------------------------------------------------------------------------------------------
# service call iphonesubinfo (parcel dump)

_PARCEL_WORDS = re.compile(r"^(?:\s*Result: Parcel\()?\s*(?:0x[0-9a-fA-F]{8}:\s*)?(?P<words>(?:[0-9a-fA-F]{8}\s*)+)")


@dataclasses.dataclass(frozen=True, slots=True)
class ParcelReply:
    """A binder reply as ``service call`` dumps it: the exception code, then (when 0) a UTF-16 string."""

    exception_code: int
    text: str | None  # the String16 that follows (None: a null string, or not a string)


def parse_parcel(dump: str) -> ParcelReply | None:
    """Decode ``Result: Parcel(...)``: 32-bit little-endian words, the first the exception code, then a String16."""
    if "Parcel(" not in dump:
        return None
    data = bytearray()
    for line in dump.splitlines():
        match = _PARCEL_WORDS.match(line)
        if not match:
            continue
        for word in re.findall(r"[0-9a-fA-F]{8}", match["words"]):  # words run together when a dump is mangled
            data += int(word, 16).to_bytes(4, "little")
    if len(data) < 4:
        return None
    exception_code = int.from_bytes(data[0:4], "little", signed=True)
    if exception_code != 0 or len(data) < 8:
        return ParcelReply(exception_code, None)
    length = int.from_bytes(data[4:8], "little", signed=True)
    if length < 0 or 8 + 2 * length > len(data):
        return ParcelReply(exception_code, None)
    try:
        text = bytes(data[8 : 8 + 2 * length]).decode("utf-16-le")
    except UnicodeDecodeError:
        return ParcelReply(exception_code, None)
    return ParcelReply(exception_code, text)


_IMEI_DIGITS = re.compile(r"^[0-9]{14,16}$")


def imei_from_parcel(dump: str) -> str | None:
    """The IMEI digits a ``service call iphonesubinfo`` reply carries, or None (error, null, not digits)."""
    reply = parse_parcel(dump)
    if reply is None or reply.exception_code != 0 or reply.text is None:
        return None
    text = reply.text.strip()
    return text if _IMEI_DIGITS.match(text) else None


@dataclasses.dataclass(frozen=True, slots=True)
class ImeiQuery:
    command: str
    slot: int


def imei_queries(sdk: int | None) -> tuple[ImeiQuery, ...]:
    """The ``service call iphonesubinfo`` transactions to try for an SDK level, best first.

    The transaction codes follow the IPhoneSubInfo AIDL, which changed over releases: code 1 is getDeviceId (no
    argument before Android 5.1, a calling package after); Android 10+ restricts it to privileged callers, which the
    shell is on most builds, and code 4 getImeiForSubscriber(subId, package) answers per SIM slot.
    """
    package = "s16 com.android.shell"
    if sdk is None or sdk >= 29:
        return (
            ImeiQuery(f"service call iphonesubinfo 1 {package}", 1),
            ImeiQuery(f"service call iphonesubinfo 4 i32 1 {package}", 1),
            ImeiQuery(f"service call iphonesubinfo 4 i32 2 {package}", 2),
        )
    if sdk >= 22:
        return (ImeiQuery(f"service call iphonesubinfo 1 {package}", 1),)
    return (ImeiQuery("service call iphonesubinfo 1", 1),)


# ---------------------------------------------------------------------------------------------------------------------
# dumpsys battery

_KV = re.compile(r"^\s*(?P<key>[A-Za-z][\w .()/-]*?)\s*[:=]\s*(?P<value>.*?)\s*$")

BATTERY_STATUS = {1: "unknown", 2: "charging", 3: "discharging", 4: "not charging", 5: "full"}
BATTERY_HEALTH = {
    1: "unknown",
    2: "good",
    3: "overheat",
    4: "dead",
    5: "over voltage",
    6: "unspecified failure",
    7: "cold",
}


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"-?[0-9]{1,12}", value):
        return int(value)
    return None


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    return {"true": True, "false": False}.get(value.strip().lower())


def _in_range(value: int | None, low: int, high: int) -> int | None:
    return value if value is not None and low <= value <= high else None


@dataclasses.dataclass(frozen=True, slots=True)
class DumpsysBattery:
    """``dumpsys battery`` read whole. Values outside what a phone can report stay unknown (None)."""

    ac_powered: bool | None = None
    usb_powered: bool | None = None
    wireless_powered: bool | None = None
    dock_powered: bool | None = None
    max_charging_current_ua: int | None = None
    max_charging_voltage_uv: int | None = None
    charge_counter_uah: int | None = None
    status: int | None = None
    health: int | None = None
    present: bool | None = None
    level: int | None = None
    scale: int | None = None
    voltage_mv: int | None = None
    temperature_c: float | None = None
    technology: str | None = None
    charging_state: int | None = None  # Android 14+
    charging_policy: int | None = None  # Android 14+
    raw: tuple[tuple[str, str], ...] = ()

    @property
    def status_text(self) -> str:
        return BATTERY_STATUS.get(self.status, "unknown") if self.status is not None else "unknown"

    @property
    def health_text(self) -> str:
        return BATTERY_HEALTH.get(self.health, "unknown") if self.health is not None else "unknown"

    @property
    def powered(self) -> bool | None:
        flags = [self.ac_powered, self.usb_powered, self.wireless_powered, self.dock_powered]
        if any(flags):
            return True
        if self.ac_powered is None and self.usb_powered is None:
            return None
        return False

    @property
    def level_percent(self) -> float | None:
        if self.level is None or not self.scale:
            return None
        return round(100.0 * self.level / self.scale, 1)


def _pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        match = _KV.match(line)
        if match and match["value"] != "":
            pairs.append((match["key"].strip(), match["value"]))
    return pairs


def parse_dumpsys_battery(text: str) -> DumpsysBattery | None:
    """``dumpsys battery``; None when the text is not a battery dump at all."""
    if "Battery Service state" not in text and "level:" not in text:
        return None
    pairs = _pairs(text)
    values: dict[str, str] = {}
    for key, value in pairs:
        values.setdefault(key, value)  # the service state comes first; later duplicates are history
    if "level" not in values:
        return None
    level = _in_range(_int(values.get("level")), 0, 1000)
    scale = _in_range(_int(values.get("scale")), 1, 1000)
    if level is not None and scale is not None and level > scale:
        level = None
    tenths = _in_range(_int(values.get("temperature")), -400, 1000)
    return DumpsysBattery(
        ac_powered=_bool(values.get("AC powered")),
        usb_powered=_bool(values.get("USB powered")),
        wireless_powered=_bool(values.get("Wireless powered")),
        dock_powered=_bool(values.get("Dock powered")),
        max_charging_current_ua=_in_range(_int(values.get("Max charging current")), 0, 20_000_000),
        max_charging_voltage_uv=_in_range(_int(values.get("Max charging voltage")), 0, 50_000_000),
        # µAh by the API; 0 means "not supported" (captured on a Pixel C), and some vendors print mAh (4274 at 80 %
        # on a Redmi with HyperOS 3): below 100 mAh the unit cannot be trusted, so the value stays unknown.
        charge_counter_uah=_in_range(_int(values.get("Charge counter")), 100_000, 50_000_000),
        status=_in_range(_int(values.get("status")), 1, 5),
        health=_in_range(_int(values.get("health")), 1, 7),
        present=_bool(values.get("present")),
        level=level,
        scale=scale,
        voltage_mv=_in_range(_int(values.get("voltage")), 1000, 6000),
        temperature_c=tenths / 10 if tenths is not None else None,
        technology=values.get("technology") or None,
        charging_state=_int(values.get("Charging state")),
        charging_policy=_int(values.get("Charging policy")),
        raw=tuple(pairs),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class SamsungBatteryBackup:
    """Samsung's BatteryInfoBackUp block of ``dumpsys battery``: ASOC and BSOH are health in percent."""

    asoc: int | None = None
    bsoh: int | None = None
    usage: int | None = None  # Samsung's cumulative usage counter, kept as the device gives it (unit undocumented)
    raw: tuple[tuple[str, str], ...] = ()


# One UI 6+ prints some of them bracketed ("mSavedBatteryAsoc: [99]", captured from a Galaxy S24); older releases bare.
_SAMSUNG_FIELDS = re.compile(r"^\s*(?P<key>mSavedBattery\w+)\s*[:=]\s*\[?(?P<value>[^\s\[\]]+)\]?\s*$")


def parse_samsung_battery_backup(text: str) -> SamsungBatteryBackup | None:
    """The ``mSavedBattery*`` fields of a Samsung ``dumpsys battery``; None when the dump has none."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        match = _SAMSUNG_FIELDS.match(line)
        if match:
            fields.setdefault(match["key"], match["value"])
    if not fields:
        return None
    return SamsungBatteryBackup(
        asoc=_in_range(_int(fields.get("mSavedBatteryAsoc")), 1, 100),
        bsoh=_in_range(_int(fields.get("mSavedBatteryBsoh")), 1, 100),
        usage=_in_range(_int(fields.get("mSavedBatteryUsage")), 0, 100_000_000),
        raw=tuple(fields.items()),
    )


# ---------------------------------------------------------------------------------------------------------------------
# sysfs battery files, read with ``grep -H . FILE...``: one "path:value" line per readable file, and for each file that
# cannot be read grep's error ("grep: path: Permission denied" from toybox; busybox's cat says "can't open 'path'"),
# so "the shell may not read it" (SELinux on production phones) is told apart from "this phone has no such file".

SYSFS_BATTERY_DIRS = ("/sys/class/power_supply/battery", "/sys/class/power_supply/bms")
SYSFS_BATTERY_FILES = ("charge_full", "charge_full_design", "cycle_count", "battery_cycle")


def sysfs_battery_paths() -> tuple[str, ...]:
    return tuple(f"{folder}/{name}" for folder in SYSFS_BATTERY_DIRS for name in SYSFS_BATTERY_FILES)


SYSFS_READ = "read"
SYSFS_DENIED = "permission denied"
SYSFS_ABSENT = "absent"
SYSFS_NOT_REPORTED = "not reported"  # no line at all: errors suppressed, or the command did not run


@dataclasses.dataclass(frozen=True, slots=True)
class SysfsBattery:
    charge_full_uah: int | None = None
    charge_full_design_uah: int | None = None
    cycle_count: int | None = None
    sources: tuple[tuple[str, str], ...] = ()  # field -> the file it came from
    raw: tuple[tuple[str, str], ...] = ()
    access: tuple[tuple[str, str], ...] = ()  # file name -> read / permission denied / absent / grep's other reason

    @property
    def denied(self) -> tuple[str, ...]:
        """The files the shell may not read (they exist: root or a privileged app could)."""
        return tuple(name for name, state in self.access if state == SYSFS_DENIED)


_GREP_LINE = re.compile(r"^(?P<path>/sys/[\w/.-]+):(?P<value>.*)$")
_GREP_ERROR = re.compile(
    r"^(?:[\w.-]+: )?(?:can't open )?'?(?P<path>/sys/[\w/.-]+)'?: (?P<reason>[A-Za-z][\w ]*[a-z])\s*$"
)
_REASONS = {"permission denied": SYSFS_DENIED, "no such file or directory": SYSFS_ABSENT}


def parse_sysfs_battery(text: str) -> SysfsBattery:
    """Values of the power-supply files; the first readable directory wins for each value. µAh, plausible only."""
    found: dict[str, str] = {}
    errors: dict[str, str] = {}
    for line in text.splitlines():
        failure = _GREP_ERROR.match(line.strip())
        if failure:
            reason = failure["reason"].strip().lower()
            errors.setdefault(failure["path"], _REASONS.get(reason, reason))
            continue
        match = _GREP_LINE.match(line.strip())
        if match:
            found.setdefault(match["path"], match["value"].strip())
    chosen: dict[str, tuple[int, str]] = {}
    limits = {
        "charge_full": (100_000, 30_000_000),  # 100 mAh .. 30 Ah, in µAh
        "charge_full_design": (100_000, 30_000_000),
        "cycle_count": (0, 100_000),
        "battery_cycle": (0, 100_000),
    }
    for path in sysfs_battery_paths():
        name = path.rsplit("/", 1)[1]
        value = _in_range(_int(found.get(path)), *limits[name])
        if value is not None and name not in chosen:
            chosen[name] = (value, path)
    cycles = chosen.get("cycle_count") or chosen.get("battery_cycle")
    sources = [(field, chosen[name][1]) for field, name in _SYSFS_FIELDS if name in chosen]
    if cycles is not None and "cycle_count" not in chosen:
        sources.append(("cycle_count", cycles[1]))
    return SysfsBattery(
        charge_full_uah=chosen["charge_full"][0] if "charge_full" in chosen else None,
        charge_full_design_uah=chosen["charge_full_design"][0] if "charge_full_design" in chosen else None,
        cycle_count=cycles[0] if cycles else None,
        sources=tuple(sources),
        raw=tuple(found.items()),
        access=tuple((name, _access_of(name, chosen, found, errors)) for name in SYSFS_BATTERY_FILES),
    )


def _access_of(name: str, chosen: dict[str, tuple[int, str]], found: dict[str, str], errors: dict[str, str]) -> str:
    """How the shell fared with the file ``name`` in every battery folder: read beats denied beats absent."""
    if name in chosen:
        return SYSFS_READ
    if any(path.endswith(f"/{name}") for path in found if path in sysfs_battery_paths()):
        return "read, value not plausible"
    reasons = [errors[path] for path in sysfs_battery_paths() if path.endswith(f"/{name}") and path in errors]
    if SYSFS_DENIED in reasons:
        return SYSFS_DENIED
    others = [reason for reason in reasons if reason != SYSFS_ABSENT]
    if others:
        return others[0]
    return SYSFS_ABSENT if reasons else SYSFS_NOT_REPORTED


_SYSFS_FIELDS = (
    ("charge_full_uah", "charge_full"),
    ("charge_full_design_uah", "charge_full_design"),
    ("cycle_count", "cycle_count"),
)


# ---------------------------------------------------------------------------------------------------------------------
# Android 14+: EXTRA_CYCLE_COUNT in the sticky ACTION_BATTERY_CHANGED intent (dumpsys activity broadcasts)

_STICKY_BATTERY = re.compile(r"Sticky action android\.intent\.action\.BATTERY_CHANGED")
_CYCLE_EXTRA = re.compile(r"android\.os\.extra\.CYCLE_COUNT=(?P<count>-?[0-9]+)")


def parse_sticky_battery_cycle_count(text: str) -> int | None:
    """The cycle count the sticky battery intent carries (API 34+); None if absent or negative (not supported)."""
    match = _STICKY_BATTERY.search(text)
    if not match:
        return None
    # The extras follow the action line within its own sticky entry, which ends at the next "* Sticky action".
    section = text[match.end() :]
    following = section.find("Sticky action")
    if following != -1:
        section = section[:following]
    extra = _CYCLE_EXTRA.search(section)
    if not extra:
        return None
    if len(extra["count"]) > 7:  # no battery counts that far (and int() refuses 4300 digits and more)
        return None
    count = int(extra["count"])
    return count if 0 <= count <= 100_000 else None


# ---------------------------------------------------------------------------------------------------------------------
# accounts and device policy (locks)

GOOGLE_ACCOUNT_TYPE = "com.google"
SAMSUNG_ACCOUNT_TYPE = "com.osp.app.signin"

_ACCOUNTS_HEADER = re.compile(r"^\s*Accounts:\s*(?P<count>\d+)\s*$", re.MULTILINE)
_ACCOUNT = re.compile(r"Account \{name=(?P<name>[^,}]*), type=(?P<type>[^}\s]+)\}")


@dataclasses.dataclass(frozen=True, slots=True)
class AccountsDump:
    """What ``dumpsys account`` lists. ``recognised`` is False when the text is not an account dump (unknown)."""

    recognised: bool
    accounts: tuple[tuple[str, str], ...] = ()  # (name, type), once each

    def of_type(self, account_type: str) -> tuple[str, ...]:
        return tuple(name for name, kind in self.accounts if kind == account_type)


def parse_accounts(text: str) -> AccountsDump:
    if not _ACCOUNTS_HEADER.search(text):
        return AccountsDump(recognised=False)
    seen: dict[tuple[str, str], None] = {}
    for match in _ACCOUNT.finditer(text):
        seen[(match["name"].strip(), match["type"].strip())] = None
    return AccountsDump(recognised=True, accounts=tuple(seen))


def mask_account(name: str) -> str:
    """Enough of an account name for a technician to recognise it, not enough to be personal data in the records."""
    local, at, domain = name.partition("@")
    if not at:
        return name[:1] + "***" if name else "***"
    return f"{local[:1]}***@{domain}"


@dataclasses.dataclass(frozen=True, slots=True)
class DevicePolicy:
    recognised: bool
    device_owner: str | None = None  # package of the device owner (fully managed device)
    profile_owners: tuple[str, ...] = ()  # packages owning a work profile
    admins: tuple[str, ...] = ()  # enabled device admins (Find My Device, ...), informative only
    containers: tuple[str, ...] = ()  # the maker's own on-phone spaces that own a profile (Samsung Secure Folder)


# Samsung's Secure Folder is a profile whose owner is Samsung's Knox container agent (captured: "Profile Owner (User
# 150)", package com.samsung.knox.securefolder): the owner's own vault, removed with all users by a factory reset, not
# an organisation's management. Read as a work profile it would block every Samsung with a Secure Folder.
DEVICE_CONTAINERS = frozenset({"com.samsung.knox.securefolder"})


_POLICY_HEADER = re.compile(r"(Current )?Device Policy Manager state", re.IGNORECASE)
_SECTION = re.compile(r"^(?P<indent>\s*)(?P<title>Device Owner|Profile Owner.*?|Enabled Device Admins.*?):\s*$")
_PACKAGE = re.compile(r"^\s*package=(?P<package>[\w.]+)\s*$")
_ADMIN = re.compile(r"^\s+(?P<component>[\w.]+/[\w.$]+):\s*$")
_COMPONENT = re.compile(r"admin=ComponentInfo\{(?P<package>[\w.]+)/")


def parse_device_policy(text: str) -> DevicePolicy:
    """``dumpsys device_policy``: who owns the device or a profile (MDM), and which admins are enabled."""
    if not _POLICY_HEADER.search(text):
        return DevicePolicy(recognised=False)
    device_owner: str | None = None
    profile_owners: list[str] = []
    containers: list[str] = []
    admins: list[str] = []
    section = ""
    section_indent = -1
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            section = header["title"]
            section_indent = len(header["indent"])
            continue
        if line.strip() and len(line) - len(line.lstrip()) <= section_indent:
            section = ""
        if section == "Device Owner":
            package = _PACKAGE.match(line) or _COMPONENT.search(line)
            if package and device_owner is None:
                device_owner = package["package"]
        elif section.startswith("Profile Owner"):
            package = _PACKAGE.match(line) or _COMPONENT.search(line)
            if package and package["package"] in DEVICE_CONTAINERS:
                if package["package"] not in containers:
                    containers.append(package["package"])
            elif package and package["package"] not in profile_owners:
                profile_owners.append(package["package"])
        elif section.startswith("Enabled Device Admins"):
            admin = _ADMIN.match(line)
            if admin and admin["component"] not in admins:
                admins.append(admin["component"])
    return DevicePolicy(True, device_owner, tuple(profile_owners), tuple(admins), tuple(containers))


# ---------------------------------------------------------------------------------------------------------------------
# functional probes


def parse_features(text: str) -> frozenset[str]:
    """``pm list features``: ``feature:android.hardware.wifi`` lines (a version may follow ``=``)."""
    features = set()
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("feature:") and len(line) > len("feature:"):
            features.add(line.removeprefix("feature:").split("=", 1)[0])
    return frozenset(features)


_IP_LINK = re.compile(r"^\d+:\s+(?P<name>[\w.@-]+?)(?:@\S+)?:\s+<.*?link/(?P<kind>\w+)\s+(?P<mac>[0-9a-fA-F:]{17})")


def parse_ip_link(text: str) -> dict[str, str]:
    """``ip -o link``: interface name -> hardware address."""
    interfaces = {}
    for line in text.splitlines():
        match = _IP_LINK.match(line.strip())
        if match:
            interfaces[match["name"]] = match["mac"].lower()
    return interfaces


_WIFI_STATE = re.compile(r"^\s*Wi-?Fi is (?P<state>enabled|disabled)", re.IGNORECASE | re.MULTILINE)


def parse_wifi_enabled(text: str) -> bool | None:
    """The first line of ``dumpsys wifi``: "Wi-Fi is enabled" / "Wi-Fi is disabled"."""
    match = _WIFI_STATE.search(text)
    return match["state"].lower() == "enabled" if match else None


@dataclasses.dataclass(frozen=True, slots=True)
class BluetoothStatus:
    recognised: bool
    enabled: bool | None = None
    address: str | None = None  # may be partly masked (XX:XX:XX:XX:12:34) on Android 13+
    name: str | None = None


_BT_ADDRESS = re.compile(r"^(?:[0-9A-Fa-fX]{2}:){5}[0-9A-Fa-fX]{2}$")


def parse_bluetooth_manager(text: str) -> BluetoothStatus:
    """The ``Bluetooth Status`` block of ``dumpsys bluetooth_manager``."""
    if "Bluetooth Status" not in text:
        return BluetoothStatus(recognised=False)
    values: dict[str, str] = {}
    for key, value in _pairs(text.split("Bluetooth Status", 1)[1]):
        values.setdefault(key.lower(), value)
    address = values.get("address")
    if address is not None and (not _BT_ADDRESS.match(address) or address == "00:00:00:00:00:00"):
        address = None
    return BluetoothStatus(True, _bool(values.get("enabled")), address, values.get("name"))


@dataclasses.dataclass(frozen=True, slots=True)
class CameraList:
    recognised: bool
    count: int | None = None
    facings: tuple[str, ...] = ()  # "back", "front", "external", one per HAL device listed


_CAMERA_COUNT = re.compile(r"Number of camera devices:\s*(?P<count>[0-9]{1,4})(?![0-9])")
_FACING = re.compile(r"^\s*Facing:\s*(?P<facing>Back|Front|External)\b", re.IGNORECASE | re.MULTILINE)


def parse_cameras(text: str) -> CameraList:
    """``dumpsys media.camera``: how many cameras the camera service knows, and which way each faces."""
    count = _CAMERA_COUNT.search(text)
    if not count:
        return CameraList(recognised=False)
    facings = tuple(match["facing"].lower() for match in _FACING.finditer(text))
    return CameraList(True, int(count["count"]), facings)


_SENSOR = re.compile(r"^0x[0-9a-fA-F]+\)\s*(?P<name>[^|]+?)\s*\|.*?type:\s*(?P<type>[\w.]+)\(\d+\)")


def parse_sensors(text: str) -> tuple[tuple[str, str], ...] | None:
    """``dumpsys sensorservice``'s Sensor List: (name, type) pairs; None when there is no list in the text."""
    if "Sensor List:" not in text:
        return None
    section = text.split("Sensor List:", 1)[1]
    sensors = []
    for line in section.splitlines():
        match = _SENSOR.match(line.strip())
        if match:
            sensors.append((match["name"], match["type"]))
    return tuple(sensors)


_INPUT_DEVICE = re.compile(r"^\s+(?P<id>-?\d+):\s+(?P<name>.+?)\s*$")
_CLASSES = re.compile(r"^\s+Classes:\s*(?P<classes>.+?)\s*$")
_TOUCH_BITS = 0x04 | 0x10  # INPUT_DEVICE_CLASS_TOUCH | _TOUCH_MT, in the hex form older releases print


def parse_touchscreens(text: str) -> tuple[str, ...] | None:
    """Touch devices in ``dumpsys input``'s Event Hub device list; None when the text has no such list."""
    if "Event Hub State" not in text:
        return None
    section = text.split("Event Hub State", 1)[1]
    for end in ("Input Reader State", "Input Dispatcher State"):
        section = section.split(end, 1)[0]
    touch = []
    current: str | None = None
    for line in section.splitlines():
        device = _INPUT_DEVICE.match(line)
        if device:
            current = device["name"]
            continue
        classes = _CLASSES.match(line)
        if classes and current is not None:
            value = classes["classes"]
            if value.startswith("0x"):
                is_touch = bool(int(value, 16) & _TOUCH_BITS) if re.fullmatch(r"0x[0-9a-fA-F]+", value) else False
            else:
                is_touch = bool({"TOUCH", "TOUCH_MT"} & {part.strip() for part in value.split("|")})
            if is_touch and current not in touch:
                touch.append(current)
            current = None
    return tuple(touch)


# ---------------------------------------------------------------------------------------------------------------------
# adb device states


STATE_MESSAGES: Mapping[str, str] = {
    "device": "ready",
    "absent": "unplugged",
    "unauthorized": "accept the USB debugging prompt on the phone (tick 'Always allow from this computer')",
    "authorizing": "the phone is checking the station's adb key: wait a moment",
    "offline": "the phone does not answer adb: unplug and replug the cable, or restart the phone",
    "recovery": "the phone is in recovery mode: reboot it to Android to inspect it",
    "rescue": "the phone is in rescue mode: reboot it to Android to inspect it",
    "sideload": "the phone waits for an adb sideload: reboot it to Android to inspect it",
    "bootloader": "the phone is in its bootloader (fastboot): reboot it to Android to inspect it",
    "connecting": "the phone is connecting: wait a moment",
    "no permissions": "the station may not open this USB device: install the udev rules and replug",
}


def state_message(state: str) -> str:
    return STATE_MESSAGES.get(state, f"unknown adb state {state!r}: unplug and replug the phone")


def normalise_state(state: str) -> str:
    """adbutils splits a ``devices -l`` line on spaces, so "no permissions (...)" arrives as "no"."""
    return "no permissions" if state == "no" else state
