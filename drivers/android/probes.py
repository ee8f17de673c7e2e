"""Automatic functional probes: what adb shows without an app (Wi-Fi and Bluetooth adapters, charging, cameras,
sensors, touch screen, not rooted with a locked bootloader), each a :class:`FunctionalResult` that says how it was
measured. Presence probes (cameras, sensors, touch) do not replace the manual tests of those parts."""

from __future__ import annotations

from audit.readings import FunctionalResult, MeasuredBy, TestOutcome
from drivers.android import parsers
from drivers.android.errors import AdbProtocolError, CommandFailed, CommandTimeout
from drivers.android.shell import PhoneShell


def read_probes(
    phone: PhoneShell, dumpsys_battery: parsers.DumpsysBattery | None = None
) -> tuple[FunctionalResult, ...]:
    if dumpsys_battery is None:
        dumpsys_battery = parsers.parse_dumpsys_battery(phone.optional("dumpsys battery"))
    features = parsers.parse_features(phone.optional("pm list features"))
    return (
        probe_wifi(phone, features),
        probe_bluetooth(phone, features),
        probe_charging(dumpsys_battery),
        probe_cameras(phone, features),
        probe_sensors(phone),
        probe_touchscreen(phone, features),
        probe_no_root(phone),
    )


def _result(test_id: str, outcome: TestOutcome, note: str, evidence: tuple[tuple[str, str], ...]) -> FunctionalResult:
    return FunctionalResult(test_id, outcome, MeasuredBy.AUTOMATIC, note, evidence)


def probe_wifi(phone: PhoneShell, features: frozenset[str]) -> FunctionalResult:
    enabled = parsers.parse_wifi_enabled(phone.optional("dumpsys wifi"))
    interfaces = parsers.parse_ip_link(phone.optional("ip -o link"))
    wlan = {name: mac for name, mac in interfaces.items() if name.startswith("wlan")}
    evidence = (("command", "dumpsys wifi; ip -o link"), ("wifi enabled", str(enabled).lower()))
    if wlan:
        name, mac = next(iter(wlan.items()))
        return _result("wifi", TestOutcome.PASS, f"adapter {name} reports {mac}", (*evidence, (name, mac)))
    if enabled:
        return _result("wifi", TestOutcome.FAIL, "Wi-Fi is on but no wlan interface exists", evidence)
    if enabled is False:
        return _result("wifi", TestOutcome.SKIPPED, "switch Wi-Fi on and inspect again", evidence)
    if features and "android.hardware.wifi" not in features:
        return _result("wifi", TestOutcome.FAIL, "the phone declares no Wi-Fi hardware", evidence)
    return _result("wifi", TestOutcome.SKIPPED, "Wi-Fi state unreadable: test it by hand", evidence)


def probe_bluetooth(phone: PhoneShell, features: frozenset[str]) -> FunctionalResult:
    status = parsers.parse_bluetooth_manager(phone.optional("dumpsys bluetooth_manager"))
    evidence: tuple[tuple[str, str], ...] = (("command", "dumpsys bluetooth_manager"),)
    if not status.recognised:
        return _result("bluetooth", TestOutcome.SKIPPED, "Bluetooth state unreadable: test it by hand", evidence)
    evidence += (("enabled", str(status.enabled).lower()), ("address", status.address or "none"))
    if status.address:
        return _result("bluetooth", TestOutcome.PASS, f"adapter reports {status.address}", evidence)
    if status.enabled:
        return _result("bluetooth", TestOutcome.FAIL, "Bluetooth is on but reports no address", evidence)
    if features and "android.hardware.bluetooth" not in features:
        return _result("bluetooth", TestOutcome.FAIL, "the phone declares no Bluetooth hardware", evidence)
    return _result("bluetooth", TestOutcome.SKIPPED, "switch Bluetooth on and inspect again", evidence)


def probe_charging(battery: parsers.DumpsysBattery | None) -> FunctionalResult:
    if battery is None:
        return _result("charging", TestOutcome.SKIPPED, "battery state unreadable", (("command", "dumpsys battery"),))
    evidence = (
        ("command", "dumpsys battery"),
        ("AC powered", str(battery.ac_powered).lower()),
        ("USB powered", str(battery.usb_powered).lower()),
        ("Wireless powered", str(battery.wireless_powered).lower()),
        ("status", battery.status_text),
    )
    if not battery.powered:
        return _result("charging", TestOutcome.SKIPPED, "no charger detected: connect the bench charger", evidence)
    if battery.status_text in ("charging", "full"):
        return _result("charging", TestOutcome.PASS, f"powered and {battery.status_text}", evidence)
    return _result("charging", TestOutcome.FAIL, f"powered but {battery.status_text}", evidence)


def probe_cameras(phone: PhoneShell, features: frozenset[str]) -> FunctionalResult:
    cameras = parsers.parse_cameras(phone.optional("dumpsys media.camera"))
    evidence: tuple[tuple[str, str], ...] = (("command", "dumpsys media.camera"),)
    if not cameras.recognised:
        return _result("cameras_present", TestOutcome.SKIPPED, "camera service unreadable", evidence)
    evidence += (("count", str(cameras.count)), ("facing", ", ".join(cameras.facings) or "unknown"))
    expected = {"back"} | ({"front"} if "android.hardware.camera.front" in features else set())
    missing = expected - set(cameras.facings)
    if cameras.count and not missing:
        note = f"{cameras.count} cameras listed; the pictures still need the manual camera tests"
        return _result("cameras_present", TestOutcome.PASS, note, evidence)
    return _result("cameras_present", TestOutcome.FAIL, f"no {' or '.join(sorted(missing))} camera", evidence)


def probe_sensors(phone: PhoneShell) -> FunctionalResult:
    sensors = parsers.parse_sensors(phone.optional("dumpsys sensorservice"))
    evidence: tuple[tuple[str, str], ...] = (("command", "dumpsys sensorservice"),)
    if sensors is None:
        return _result("sensors_present", TestOutcome.SKIPPED, "sensor list unreadable", evidence)
    types = {kind.rsplit(".", 1)[-1] for _, kind in sensors}
    evidence += (("sensors", ", ".join(name for name, _ in sensors) or "none"),)
    missing = {"accelerometer", "proximity", "light"} - types
    if missing:
        return _result("sensors_present", TestOutcome.FAIL, f"missing: {', '.join(sorted(missing))}", evidence)
    return _result("sensors_present", TestOutcome.PASS, f"{len(sensors)} sensors listed", evidence)


def probe_touchscreen(phone: PhoneShell, features: frozenset[str]) -> FunctionalResult:
    devices = parsers.parse_touchscreens(phone.optional("dumpsys input"))
    evidence: tuple[tuple[str, str], ...] = (("command", "dumpsys input"),)
    if devices is None:
        return _result("touchscreen_present", TestOutcome.SKIPPED, "input devices unreadable", evidence)
    evidence += (("touch devices", ", ".join(devices) or "none"),)
    if devices:
        note = f"touch controller {devices[0]} present; the manual touch-screen test remains"
        return _result("touchscreen_present", TestOutcome.PASS, note, evidence)
    return _result("touchscreen_present", TestOutcome.FAIL, "no touch controller is listed", evidence)


_ROOT_PROPS = (
    "ro.boot.verifiedbootstate",
    "ro.boot.flash.locked",
    "ro.boot.vbmeta.device_state",
    "ro.build.tags",
    "ro.debuggable",
)


def probe_no_root(phone: PhoneShell) -> FunctionalResult:
    """The test plan's ``no_root``: verified boot green, bootloader locked, no ``su`` on the shell's PATH, a release
    build. Root hidden from adb's shell (a systemless root that hides ``su``) is beyond what this can see."""
    try:
        props = phone.props()
    except (AdbProtocolError, CommandFailed, CommandTimeout):
        evidence_none = (("command", "getprop"),)
        return _result("no_root", TestOutcome.SKIPPED, "system properties unreadable: check by hand", evidence_none)
    values = {key: props.get(key, "").strip() for key in _ROOT_PROPS}
    su = phone.optional("which su").strip()
    su_path = su if su.startswith("/") and "\n" not in su else ""
    evidence: tuple[tuple[str, str], ...] = (
        ("command", "getprop; which su"),
        *((key, value or "not set") for key, value in values.items()),
        ("su", su_path or "not found"),
    )
    boot_state = values["ro.boot.verifiedbootstate"].lower()
    unlocked = values["ro.boot.flash.locked"] == "0" or values["ro.boot.vbmeta.device_state"].lower() == "unlocked"
    locked = values["ro.boot.flash.locked"] == "1" or values["ro.boot.vbmeta.device_state"].lower() == "locked"
    problems = []
    if su_path:
        problems.append(f"su found at {su_path}")
    if unlocked:
        problems.append("bootloader unlocked")
    if boot_state and boot_state != "green":
        problems.append(f"verified boot {boot_state}")
    if values["ro.debuggable"] == "1" or "test-keys" in values["ro.build.tags"]:
        problems.append("not a release build (ro.debuggable / test-keys)")
    if problems:
        note = "; ".join(problems) + ": flash the stock firmware and relock the bootloader"
        return _result("no_root", TestOutcome.FAIL, note, evidence)
    if boot_state == "green" and locked:
        note = "verified boot green, bootloader locked, no su for adb's shell"
        return _result("no_root", TestOutcome.PASS, note, evidence)
    return _result(
        "no_root", TestOutcome.SKIPPED, "the phone does not report its boot state: check it by hand", evidence
    )
