"""A simulated Android phone: its properties, its accounts, its battery, and the shell commands it answers.

The answers are built from captured output formats kept as data in ``drivers/sim/android_data/`` (stock AOSP,
Samsung One UI, Pixel), filled with the phone's own values. :class:`SimPhone` knows nothing of the adb protocol;
``drivers/sim/android.py`` serves it. Faults (``hang_on``, ``unplug_on``, ``garbage_on``) are command substrings
the server acts on.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import shlex
from importlib import resources
from string import Template

_DATA = "android_data"


@functools.cache
def _template(name: str) -> Template:
    text = resources.files("drivers.sim").joinpath(f"{_DATA}/{name}").read_text(encoding="utf-8")
    return Template(text)


def sample(file: str, /, **values: object) -> str:
    """A captured output with its ``${placeholders}`` filled (those not given stay as they are)."""
    return _template(file).safe_substitute({key: str(value) for key, value in values.items()})


def luhn_complete(first14: str) -> str:
    """A valid IMEI from its first 14 digits (the simulator's phones have real-looking identities)."""
    total = 0
    for position, char in enumerate(reversed(first14)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return first14 + str((10 - total % 10) % 10)


@dataclasses.dataclass(frozen=True, slots=True)
class ShellAnswer:
    stdout: bytes
    exit_status: int = 0
    stderr: bytes = b""


PROFILES = ("samsung", "pixel", "aosp")

_BASE_PROPS: dict[str, dict[str, str]] = {
    "samsung": {
        "ro.product.brand": "samsung",
        "ro.product.manufacturer": "samsung",
        "ro.product.model": "SM-G991B",
        "ro.product.name": "o1sxeea",
        "ro.product.device": "o1s",
        "ro.build.version.release": "14",
        "ro.build.version.sdk": "34",
        "ro.build.version.security_patch": "2026-09-01",
        "ro.build.display.id": "UP1A.231005.007.G991BXXSHHXK1",
        "ro.crypto.state": "encrypted",
        "ro.crypto.type": "file",
        "gsm.version.baseband": "G991BXXSHHXK1",
        "ro.boot.verifiedbootstate": "green",
        "ro.boot.flash.locked": "1",
        "ro.boot.vbmeta.device_state": "locked",
        "ro.build.tags": "release-keys",
        "ro.debuggable": "0",
    },
    "pixel": {
        "ro.product.brand": "google",
        "ro.product.manufacturer": "Google",
        "ro.product.model": "Pixel 8",
        "ro.product.name": "shiba",
        "ro.product.device": "shiba",
        "ro.build.version.release": "15",
        "ro.build.version.sdk": "35",
        "ro.build.version.security_patch": "2026-10-05",
        "ro.build.display.id": "AP4A.261005.002",
        "ro.crypto.state": "encrypted",
        "ro.crypto.type": "file",
        "ro.boot.verifiedbootstate": "green",
        "ro.boot.flash.locked": "1",
        "ro.boot.vbmeta.device_state": "locked",
        "ro.build.tags": "release-keys",
        "ro.debuggable": "0",
    },
    "aosp": {
        "ro.product.brand": "Android",
        "ro.product.manufacturer": "unknown",
        "ro.product.model": "AOSP on ARM64",
        "ro.product.name": "aosp_arm64",
        "ro.product.device": "generic_arm64",
        "ro.build.version.release": "9",
        "ro.build.version.sdk": "28",
        "ro.build.version.security_patch": "2019-08-05",
        "ro.build.display.id": "PQ3A.190801.002",
        "ro.crypto.state": "unencrypted",
        "ro.build.tags": "test-keys",
        "ro.debuggable": "1",
    },
}


@dataclasses.dataclass
class SimPhone:
    """One phone on the simulated bench. Change the fields between commands to change what it answers."""

    serial: str
    profile: str = "samsung"
    state: str = "device"
    props: dict[str, str] = dataclasses.field(default_factory=dict)  # overrides of the profile's properties
    imei: str | None = None
    imei2: str | None = None
    accounts: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (name, type)
    device_owner: str | None = None
    battery_level: int = 87
    cycle_count: int | None = 143  # sticky intent (API 34+) and sysfs, when readable
    charge_full_uah: int | None = 3_712_000
    charge_full_design_uah: int | None = 4_000_000
    # /sys/class/power_supply/battery/*: "readable", "denied" (the files exist but SELinux refuses them to adb's shell,
    # as on production phones) or "absent" (no such files, as on the emulator)
    sysfs: str = "readable"
    samsung_asoc: int = 91
    samsung_bsoh: int = 93
    samsung_usage: int = 41_230
    wifi_enabled: bool = True
    wifi_mac: str | None = "3a:1f:5c:22:9b:01"
    bluetooth_enabled: bool = True
    bluetooth_address: str | None = "5C:CB:99:12:9B:02"
    has_touchscreen: bool = True
    data_kb: int = 110_000_000
    testharness: bool = True  # whether `cmd testharness` exists (it needs API 29+ as well)
    su_path: str | None = None  # a rooted phone: where `which su` finds it
    outputs: dict[str, str] = dataclasses.field(default_factory=dict)  # command -> exact answer, overriding all
    hang_on: str | None = None  # a command containing this never finishes
    unplug_on: str | None = None  # the phone is pulled out half-way through a command containing this
    garbage_on: str | None = None  # a command containing this prints noise ("*": every command)
    commands: list[str] = dataclasses.field(default_factory=list)
    erased: bool = False

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown phone profile {self.profile!r} (one of {', '.join(PROFILES)})")

    # --- what adb sees without a shell

    @property
    def all_props(self) -> dict[str, str]:
        props = dict(_BASE_PROPS[self.profile])
        props["ro.serialno"] = self.serial
        if self.profile == "samsung":
            props.setdefault("ril.serialnumber", "R5C" + self.serial[-8:].upper().rjust(8, "0"))
        props.update(self.props)
        return props

    @property
    def sdk(self) -> int:
        return int(self.all_props.get("ro.build.version.sdk", "0") or 0)

    @property
    def features(self) -> str:
        return "shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec"

    def devices_l_tags(self) -> str:
        if self.state != "device":
            return "usb:1-1"
        props = self.all_props
        model = props["ro.product.model"].replace(" ", "_")
        return f"usb:1-1 product:{props['ro.product.name']} model:{model} device:{props['ro.product.device']}"

    # --- the shell

    def fault_for(self, command: str) -> str | None:
        for fault, needle in (("hang", self.hang_on), ("unplug", self.unplug_on), ("garbage", self.garbage_on)):
            if needle and (needle == "*" or needle in command):
                return fault
        return None

    def garbage(self, command: str) -> bytes:
        noise = random.Random(f"{self.serial}:{command}")
        return bytes(noise.randrange(256) for _ in range(noise.randrange(40, 400)))

    def run(self, command: str) -> ShellAnswer:
        """What the phone's shell prints for ``command`` (stdout and stderr as a phone separates them)."""
        self.commands.append(command)
        if command in self.outputs:
            return ShellAnswer(self.outputs[command].encode())
        try:
            words = shlex.split(command)
        except ValueError:
            return ShellAnswer(b"", 2, b"/system/bin/sh: syntax error: unterminated quoted string\n")
        if not words:
            return ShellAnswer(b"")
        text = self._answer(words)
        if text is None:
            return ShellAnswer(b"", 127, f"/system/bin/sh: {words[0]}: inaccessible or not found\n".encode())
        if isinstance(text, ShellAnswer):
            return text
        return ShellAnswer(text.encode())

    def _answer(self, words: list[str]) -> str | ShellAnswer | None:
        head, args = words[0], words[1:]
        if head == "getprop":
            props = self.all_props
            if args:
                return props.get(args[0], "") + "\n"
            return "".join(f"[{key}]: [{value}]\n" for key, value in sorted(props.items()))
        if head == "which" and args:
            found = self.su_path if args == ["su"] else None
            return found + "\n" if found else ShellAnswer(b"", 1)
        if head == "echo":
            return " ".join(args) + "\n"
        if head == "dumpsys" and args:
            return self._dumpsys(args[0], args[1:])
        if head == "service" and args[:2] == ["call", "iphonesubinfo"]:
            return self._iphonesubinfo(args[2:])
        if head == "grep" and args[:2] in (["-sH", "."], ["-H", "."]):
            return self._grep_files(args[2:], quiet=args[0] == "-sH")
        if head == "df" and args == ["-k", "/data"]:
            used = 41_237_168
            return sample(
                "df_data.txt",
                blocks=self.data_kb,
                available=self.data_kb - used,
                percent=round(100 * used / self.data_kb),
            )
        if head == "pm" and args == ["list", "features"]:
            return sample("features_samsung.txt" if self.profile == "samsung" else "features_pixel.txt")
        if head == "ip" and args == ["-o", "link"]:
            wlan = ""
            if self.wifi_enabled and self.wifi_mac:
                wlan = (
                    "30: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DORMANT group "
                    f"default qlen 3000\\    link/ether {self.wifi_mac} brd ff:ff:ff:ff:ff:ff"
                )
            return sample("ip_link.txt", wlan=wlan)
        if head == "cmd" and args[:1] == ["testharness"]:
            return self._testharness(args[1:])
        if head == "reboot":
            self.state = args[0] if args and args[0] in ("recovery", "sideload", "bootloader") else "device"
            return ""
        return None

    def _dumpsys(self, service: str, args: list[str]) -> str | None:
        vendor = "samsung" if self.profile == "samsung" else "pixel"
        if service == "battery":
            if self.profile == "samsung":
                return sample(
                    "battery_samsung.txt",
                    level=self.battery_level,
                    asoc=self.samsung_asoc,
                    bsoh=self.samsung_bsoh,
                    usage=self.samsung_usage,
                )
            if self.profile == "aosp":
                return sample("battery_aosp.txt")
            return sample("battery_pixel.txt", level=self.battery_level)
        if service == "activity" and args == ["broadcasts"]:
            text = sample("broadcasts_battery.txt", level=self.battery_level, cycles=self.cycle_count)
            if self.sdk < 34 or self.cycle_count is None:
                text = text.replace(f", android.os.extra.CYCLE_COUNT={self.cycle_count}", "")
            return text
        if service == "account":
            lines = "".join(f"    Account {{name={name}, type={kind}}}\n" for name, kind in self.accounts)
            return sample("account_header.txt", count=len(self.accounts), accounts=lines.rstrip("\n"))
        if service == "device_policy":
            if self.device_owner:
                return sample("device_policy_owner.txt", package=self.device_owner)
            return sample("device_policy_none.txt")
        if service == "wifi":
            return sample("wifi.txt", state="enabled" if self.wifi_enabled else "disabled")
        if service == "bluetooth_manager":
            props = self.all_props
            return sample(
                "bluetooth_manager.txt",
                enabled=str(self.bluetooth_enabled).lower(),
                state="ON" if self.bluetooth_enabled else "OFF",
                address=self.bluetooth_address or "00:00:00:00:00:00",
                name=props["ro.product.model"],
            )
        if service == "media.camera":
            return sample(f"media_camera_{vendor}.txt")
        if service == "sensorservice":
            return sample(f"sensorservice_{vendor}.txt")
        if service == "input":
            text = sample(f"input_{vendor}.txt")
            if not self.has_touchscreen:
                text = text.replace("TOUCH | TOUCH_MT", "KEYBOARD")
            return text
        return f"Can't find service: {service}\n"

    def _iphonesubinfo(self, args: list[str]) -> str:
        sdk = self.sdk
        code = args[0] if args else ""
        has_package = "s16" in args
        if code == "1" and (has_package == (sdk >= 22)) and self.imei:
            return parcel_string(self.imei)
        if code == "4" and sdk >= 29 and len(args) >= 3 and args[1] == "i32":
            value = {"1": self.imei, "2": self.imei2}.get(args[2])
            return parcel_string(value) if value else parcel_string(None)
        return parcel_exception("Requires READ_PHONE_STATE: Neither user 2000 nor current process has it.")

    def _grep_files(self, paths: list[str], *, quiet: bool) -> ShellAnswer:
        """toybox ``grep -H . FILE...``: a "path:value" line per readable file; each other file named on stderr with
        its reason (``-s`` keeps quiet), and exit status 2 when any could not be read."""
        base = "/sys/class/power_supply/battery/"
        files: dict[str, int | None] = {
            base + "charge_full": self.charge_full_uah,
            base + "charge_full_design": self.charge_full_design_uah,
            base + "cycle_count": self.cycle_count,
        }
        if self.profile == "samsung":
            files[base + "battery_cycle"] = self.cycle_count
        out: list[str] = []
        errors: list[str] = []
        for path in paths:
            exists = self.sysfs != "absent" and path in files
            if exists and self.sysfs == "denied":
                errors.append(f"grep: {path}: Permission denied\n")
            elif exists and files[path] is not None:
                out.append(f"{path}:{files[path]}\n")
            elif not exists:
                errors.append(f"grep: {path}: No such file or directory\n")
        stderr = b"" if quiet else "".join(errors).encode()
        status = 2 if errors else (0 if out else 1)
        return ShellAnswer("".join(out).encode(), status, stderr)

    def _testharness(self, args: list[str]) -> str | ShellAnswer:
        if self.sdk < 29 or not self.testharness:
            return ShellAnswer(b"", 20, b"cmd: Can't find service: testharness\n")
        if args != ["enable"]:
            return ShellAnswer(b"", 255, b"Unknown command\n")
        self.erased = True
        self.accounts.clear()
        self.device_owner = None
        return ""


def _printable(data: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b != 39 else "." for b in data)


def _parcel_dump(data: bytes) -> str:
    data = data + b"\0" * (-len(data) % 4)
    if len(data) <= 16:  # a short reply fits on the opening line
        words = " ".join(f"{int.from_bytes(data[i : i + 4], 'little'):08x}" for i in range(0, len(data), 4))
        return f"Result: Parcel({words} '{_printable(data)}')\n"
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        words = " ".join(f"{int.from_bytes(chunk[i : i + 4], 'little'):08x}" for i in range(0, len(chunk), 4))
        lines.append(f"  0x{offset:08x}: {words:<35} '{_printable(chunk):<16}'")
    return "Result: Parcel(\n" + "\n".join(lines) + ")\n"


def parcel_string(value: str | None) -> str:
    """A binder reply carrying one String16, dumped the way ``service call`` prints it."""
    if value is None:
        return _parcel_dump((0).to_bytes(4, "little") + (-1).to_bytes(4, "little", signed=True))
    encoded = value.encode("utf-16-le") + b"\0\0"
    return _parcel_dump((0).to_bytes(4, "little") + len(value).to_bytes(4, "little") + encoded)


def parcel_exception(message: str) -> str:
    """A binder reply carrying a SecurityException (code -1) and its message."""
    encoded = message.encode("utf-16-le") + b"\0\0"
    body = (-1).to_bytes(4, "little", signed=True) + len(message).to_bytes(4, "little") + encoded
    return _parcel_dump(body)
