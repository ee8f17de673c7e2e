"""The Android parsers on captured formats (stock AOSP, Samsung, Pixel) and on anything at all (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.android import parsers
from drivers.android.battery import sysfs_access
from drivers.android.models import make_name, marketing_name
from drivers.sim.android_phone import luhn_complete, parcel_exception, parcel_string, sample

# --- IMEI / Luhn / parcels


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        pytest.param("354118120000007", True, id="valid"),
        pytest.param("354118120000008", False, id="wrong-check-digit"),
        pytest.param("490154203237518", True, id="gsma-example"),
        pytest.param("35411812000000", False, id="too-short-for-an-imei-is-not-luhn-here"),
        pytest.param("", False, id="empty"),
        pytest.param("35411812000000x", False, id="letter"),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    reading = parsers.ImeiReading.of(digits, "test")
    assert reading.luhn_valid is valid


@pytest.mark.parametrize(
    ("dump", "expected"),
    [
        pytest.param(parcel_string("354118120000007"), "354118120000007", id="multi-line-string16"),
        pytest.param(parcel_string(None), None, id="null-string"),
        pytest.param(parcel_exception("Requires READ_PHONE_STATE"), None, id="security-exception"),
        pytest.param("Result: Parcel(00000000    '....')", None, id="status-only"),
        pytest.param("service: Service iphonesubinfo does not exist", None, id="no-service"),
        pytest.param(
            "Result: Parcel(\n  0x00000000: 00000000 0000000f 00350033 00310034 '........3.5.4.1.'\n"
            "  0x00000010: 00380031 00320031 00300030 00300030 '1.8.1.2.0.0.0.0.'\n"
            "  0x00000020: 00300030 00000037                   '0.0.7...        ')",
            "354118120000007",
            id="captured-android-9",
        ),
        pytest.param(
            "Result: Parcel(\n  0x00000000: 00000000 0000000f 00350033 00310034 '........3.5.4.1.')",
            None,
            id="truncated-string",
        ),
    ],
)
def test_imei_from_parcel(dump: str, expected: str | None) -> None:
    assert parsers.imei_from_parcel(dump) == expected


def test_parcel_exception_code_is_read() -> None:
    reply = parsers.parse_parcel(parcel_exception("nope"))
    assert reply is not None
    assert (reply.exception_code, reply.text) == (-1, None)


@pytest.mark.parametrize(
    ("sdk", "first", "count"),
    [
        pytest.param(19, "service call iphonesubinfo 1", 1, id="kitkat-no-package"),
        pytest.param(28, "service call iphonesubinfo 1 s16 com.android.shell", 1, id="pie"),
        pytest.param(34, "service call iphonesubinfo 1 s16 com.android.shell", 3, id="u-both-slots"),
        pytest.param(None, "service call iphonesubinfo 1 s16 com.android.shell", 3, id="unknown-sdk"),
    ],
)
def test_imei_queries_per_sdk(sdk: int | None, first: str, count: int) -> None:
    queries = parsers.imei_queries(sdk)
    assert (queries[0].command, len(queries)) == (first, count)


@given(st.text())
def test_parcel_parser_never_crashes(text: str) -> None:
    value = parsers.imei_from_parcel(text)
    assert value is None or value.isdigit()


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_parcel_round_trip_of_any_imei(first14: str) -> None:
    imei = luhn_complete(first14)
    assert parsers.imei_from_parcel(parcel_string(imei)) == imei
    assert parsers.luhn_valid(imei)


# --- getprop, storage


def test_getprop_reads_every_property_and_ignores_noise() -> None:
    text = "[ro.product.model]: [SM-G991B]\n[ro.build.version.sdk]: [34]\nwarning: junk\n[empty]: []\n"
    assert parsers.parse_getprop(text) == {"ro.product.model": "SM-G991B", "ro.build.version.sdk": "34", "empty": ""}


@pytest.mark.parametrize(
    ("value", "sdk"),
    [pytest.param("34", 34, id="u"), pytest.param("", None, id="empty"), pytest.param("abc", None, id="text"),
     pytest.param("0", None, id="zero"), pytest.param(None, None, id="missing")],
)  # fmt: skip
def test_sdk(value: str | None, sdk: int | None) -> None:
    assert parsers.parse_sdk(value) == sdk


@pytest.mark.parametrize(
    ("kilobytes", "marketing_gb"),
    [
        pytest.param(110_000_000, 128, id="128GB-phone"),
        pytest.param(52_000_000, 64, id="64GB-phone"),
        pytest.param(230_000_000, 256, id="256GB-phone"),
        pytest.param(25_000_000, 32, id="32GB-phone"),
    ],
)
def test_storage_rounds_up_to_the_box_capacity(kilobytes: int, marketing_gb: int) -> None:
    text = sample("df_data.txt", blocks=kilobytes, available=1, percent=50)
    assert parsers.marketing_storage_bytes(parsers.parse_df_total_bytes(text)) == marketing_gb * 1_000_000_000


@given(st.text())
def test_df_never_crashes(text: str) -> None:
    total = parsers.parse_df_total_bytes(text)
    assert total is None or total >= 0


# --- battery


def test_dumpsys_battery_samsung_whole_with_units() -> None:
    # the simulator's Samsung template is the Galaxy S24 capture (tests/data/android) with its values as placeholders
    text = sample("battery_samsung.txt", level=80, asoc=91, bsoh=93, usage=41230)
    battery = parsers.parse_dumpsys_battery(text)
    assert battery is not None
    assert (battery.usb_powered, battery.ac_powered, battery.powered) == (True, False, True)
    assert (battery.charge_counter_uah, battery.voltage_mv, battery.temperature_c) == (3_719_506, 4156, 35.7)
    assert (battery.level_percent, battery.status_text, battery.health_text) == (80.0, "charging", "good")
    assert battery.max_charging_current_ua == 0
    assert ("mSavedBatteryAsoc", "[91]") in battery.raw
    backup = parsers.parse_samsung_battery_backup(text)
    assert backup is not None
    assert (backup.asoc, backup.bsoh, backup.usage) == (91, 93, 41230)


@pytest.mark.parametrize(
    "name", [pytest.param("battery_aosp.txt", id="aosp"), pytest.param("battery_pixel.txt", id="pixel")]
)
def test_dumpsys_battery_without_samsung_fields(name: str) -> None:
    text = sample(name, level=55)
    battery = parsers.parse_dumpsys_battery(text)
    assert battery is not None
    assert battery.technology == "Li-ion"
    assert battery.charging_state is not None  # Android 14 fields read
    assert parsers.parse_samsung_battery_backup(text) is None


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        pytest.param("Current Battery Service state:\n  level: 150\n  scale: 100\n", "level", None, id="level>scale"),
        pytest.param("Current Battery Service state:\n  level: 5\n  voltage: 4\n", "voltage_mv", None, id="volts"),
        pytest.param("Current Battery Service state:\n  level: 5\n  temperature: 9999\n", "temperature_c", None,
                     id="absurd-temperature"),
        pytest.param("Current Battery Service state:\n  level: 5\n  temperature: -52\n", "temperature_c", -5.2,
                     id="cold"),
        pytest.param("Current Battery Service state:\n  level: 5\n  status: 9\n", "status", None, id="bad-status"),
    ],
)  # fmt: skip
def test_dumpsys_battery_implausible_values_stay_unknown(text: str, field: str, expected: object) -> None:
    battery = parsers.parse_dumpsys_battery(text)
    assert battery is not None
    assert getattr(battery, field) == expected


@given(st.text())
def test_battery_parsers_never_crash(text: str) -> None:
    battery = parsers.parse_dumpsys_battery(text)
    if battery is not None and battery.level_percent is not None:
        assert 0 <= battery.level_percent <= 100
    backup = parsers.parse_samsung_battery_backup(text)
    assert backup is None or backup.asoc is None or 1 <= backup.asoc <= 100
    parsers.parse_sysfs_battery(text)
    count = parsers.parse_sticky_battery_cycle_count(text)
    assert count is None or count >= 0


def test_sysfs_battery_first_readable_directory_wins_and_records_its_file() -> None:
    text = (
        "/sys/class/power_supply/bms/charge_full:3500000\n"
        "/sys/class/power_supply/battery/charge_full_design:4000000\n"
        "/sys/class/power_supply/battery/battery_cycle:212\n"
        "/sys/class/power_supply/battery/charge_full:12\n"  # not a phone battery: unknown, the bms value stands
    )
    sysfs = parsers.parse_sysfs_battery(text)
    assert (sysfs.charge_full_uah, sysfs.charge_full_design_uah, sysfs.cycle_count) == (3_500_000, 4_000_000, 212)
    assert dict(sysfs.sources)["charge_full_uah"] == "/sys/class/power_supply/bms/charge_full"
    assert dict(sysfs.sources)["cycle_count"] == "/sys/class/power_supply/battery/battery_cycle"


def test_sysfs_nothing_readable_is_unknown() -> None:
    sysfs = parsers.parse_sysfs_battery("")
    assert (sysfs.charge_full_uah, sysfs.charge_full_design_uah, sysfs.cycle_count, sysfs.sources) == (
        None,
        None,
        None,
        (),
    )
    assert set(dict(sysfs.access).values()) == {parsers.SYSFS_NOT_REPORTED}


_BAT = "/sys/class/power_supply/battery"
_BMS = "/sys/class/power_supply/bms"


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        pytest.param(f"{_BAT}/charge_full:3712000\n{_BAT}/charge_full_design:4000000\n{_BAT}/battery_cycle:212\n"
                     f"grep: {_BAT}/cycle_count: No such file or directory\n", "", id="samsung-battery-cycle"),
        pytest.param(f"{_BAT}/charge_full:3712000\ngrep: {_BAT}/charge_full_design: Permission denied\n"
                     f"grep: {_BAT}/cycle_count: No such file or directory\n",
                     "sysfs charge_full_design: permission denied, cycle_count: absent", id="mixed"),
    ],
)  # fmt: skip
def test_sysfs_evidence(text: str, evidence: str) -> None:
    assert sysfs_access(parsers.parse_sysfs_battery(text)) == evidence


@pytest.mark.parametrize(
    ("text", "charge_full", "access"),
    [
        pytest.param(f"{_BAT}/charge_full:3712000\n", 3_712_000, parsers.SYSFS_READ, id="read"),
        pytest.param(f"grep: {_BAT}/charge_full: Permission denied\ngrep: {_BMS}/charge_full: No such file or "
                     "directory\n", None, parsers.SYSFS_DENIED, id="toybox-denied"),
        pytest.param(f"cat: can't open '{_BAT}/charge_full': Permission denied\n", None, parsers.SYSFS_DENIED,
                     id="busybox-denied"),
        pytest.param(f"grep: {_BAT}/charge_full: No such file or directory\ngrep: {_BMS}/charge_full: No such file "
                     "or directory\n", None, parsers.SYSFS_ABSENT, id="absent"),
        pytest.param(f"grep: {_BAT}/charge_full: Invalid argument\n", None, "invalid argument", id="other-reason"),
        pytest.param(f"grep: {_BMS}/charge_full: Permission denied\n{_BAT}/charge_full:3712000\n", 3_712_000,
                     parsers.SYSFS_READ, id="read-beats-denied"),
        pytest.param(f"{_BAT}/charge_full:0\n", None, "read, value not plausible", id="implausible"),
    ],
)  # fmt: skip
def test_sysfs_access_is_told_apart(text: str, charge_full: int | None, access: str) -> None:
    sysfs = parsers.parse_sysfs_battery(text)
    assert sysfs.charge_full_uah == charge_full
    assert dict(sysfs.access)["charge_full"] == access
    assert ("charge_full" in sysfs.denied) == (access == parsers.SYSFS_DENIED)


@pytest.mark.parametrize(
    ("cycles", "expected"),
    [pytest.param(143, 143, id="count"), pytest.param(-1, None, id="unsupported-minus-one")],
)
def test_sticky_intent_cycle_count(cycles: int, expected: int | None) -> None:
    assert parsers.parse_sticky_battery_cycle_count(sample("broadcasts_battery.txt", cycles=cycles)) == expected


def test_cycle_count_of_another_sticky_intent_is_not_taken() -> None:
    text = (
        "* Sticky action android.intent.action.BATTERY_CHANGED:\n  Bundle[{level=50}]\n"
        "* Sticky action com.vendor.OTHER:\n  Bundle[{android.os.extra.CYCLE_COUNT=9}]\n"
    )
    assert parsers.parse_sticky_battery_cycle_count(text) is None


# --- accounts and device policy


def _accounts(*accounts: tuple[str, str]) -> str:
    lines = "".join(f"    Account {{name={name}, type={kind}}}\n" for name, kind in accounts)
    return sample("account_header.txt", count=len(accounts), accounts=lines.rstrip("\n"))


def test_accounts_by_type() -> None:
    dump = parsers.parse_accounts(_accounts(("ana@gmail.com", "com.google"), ("ana@samsung.com", "com.osp.app.signin")))
    assert dump.recognised
    assert dump.of_type(parsers.GOOGLE_ACCOUNT_TYPE) == ("ana@gmail.com",)
    assert dump.of_type(parsers.SAMSUNG_ACCOUNT_TYPE) == ("ana@samsung.com",)


def test_no_accounts_is_known_and_empty_but_garbage_is_unknown() -> None:
    assert parsers.parse_accounts(_accounts()) == parsers.AccountsDump(recognised=True)
    assert not parsers.parse_accounts("Permission Denial: can't dump AccountsManager").recognised


def test_authenticator_descriptions_are_not_accounts() -> None:
    dump = parsers.parse_accounts(_accounts())
    assert dump.of_type(parsers.GOOGLE_ACCOUNT_TYPE) == ()


@pytest.mark.parametrize(
    ("name", "masked"),
    [pytest.param("ana.lopez@gmail.com", "a***@gmail.com", id="email"), pytest.param("ana", "a***", id="plain"),
     pytest.param("", "***", id="empty")],
)  # fmt: skip
def test_account_masking(name: str, masked: str) -> None:
    assert parsers.mask_account(name) == masked


def test_device_owner_and_admins() -> None:
    policy = parsers.parse_device_policy(sample("device_policy_owner.txt", package="com.airwatch.androidagent"))
    assert policy.device_owner == "com.airwatch.androidagent"
    assert policy.admins == ("com.airwatch.androidagent/.receivers.AdminReceiver",)
    free = parsers.parse_device_policy(sample("device_policy_none.txt"))
    assert (free.recognised, free.device_owner, free.profile_owners) == (True, None, ())
    assert free.admins == ("com.google.android.gms/.mdm.receivers.MdmDeviceAdminReceiver",)


def test_profile_owner_is_found() -> None:
    text = (
        "Current Device Policy Manager state:\n"
        "  Profile Owner (User 10): \n"
        "    admin=ComponentInfo{com.microsoft.intune/com.microsoft.intune.Admin}\n"
        "    name=Intune\n"
        "    package=com.microsoft.intune\n"
        "  Device state cache:\n"
    )
    assert parsers.parse_device_policy(text).profile_owners == ("com.microsoft.intune",)


@given(st.text())
def test_lock_parsers_never_crash(text: str) -> None:
    parsers.parse_accounts(text)
    policy = parsers.parse_device_policy(text)
    assert policy.recognised or policy.device_owner is None


# --- probes


def test_features_and_interfaces() -> None:
    features = parsers.parse_features(sample("features_pixel.txt"))
    assert {"android.hardware.wifi", "android.hardware.camera.front", "reqGlEsVersion"} <= features
    wlan = "30: wlan0: <UP> mtu 1500 qdisc mq state UP\\    link/ether 3A:1F:5C:22:9B:01 brd ff:ff:ff:ff:ff:ff"
    assert parsers.parse_ip_link(sample("ip_link.txt", wlan=wlan))["wlan0"] == "3a:1f:5c:22:9b:01"
    assert "wlan0" not in parsers.parse_ip_link(sample("ip_link.txt", wlan=""))


@pytest.mark.parametrize(
    ("address", "expected"),
    [pytest.param("5C:CB:99:12:9B:02", "5C:CB:99:12:9B:02", id="full"),
     pytest.param("XX:XX:XX:XX:9B:02", "XX:XX:XX:XX:9B:02", id="masked-android-13"),
     pytest.param("00:00:00:00:00:00", None, id="zero-is-none"),
     pytest.param("null", None, id="null")],
)  # fmt: skip
def test_bluetooth_address(address: str, expected: str | None) -> None:
    status = parsers.parse_bluetooth_manager(sample("bluetooth_manager.txt", enabled="true", state="ON",
                                                    address=address, name="x"))  # fmt: skip
    assert status.address == expected


@pytest.mark.parametrize(
    ("name", "count", "facings"),
    [
        pytest.param("media_camera_pixel.txt", 3, ("back", "front", "back"), id="pixel"),
        pytest.param("media_camera_samsung.txt", 4, ("back", "front", "back", "back"), id="samsung"),
    ],
)
def test_cameras(name: str, count: int, facings: tuple[str, ...]) -> None:
    assert parsers.parse_cameras(sample(name)) == parsers.CameraList(True, count, facings)


@pytest.mark.parametrize(
    ("name", "touch"),
    [pytest.param("input_samsung.txt", ("sec_touchscreen",), id="samsung-named-classes"),
     pytest.param("input_pixel.txt", ("goodix_ts",), id="pixel")],
)  # fmt: skip
def test_touchscreens(name: str, touch: tuple[str, ...]) -> None:
    assert parsers.parse_touchscreens(sample(name)) == touch


def test_touchscreen_in_the_hex_classes_of_older_releases() -> None:
    text = (
        "Event Hub State:\n  Devices:\n    2: synaptics_dsx\n      Classes: 0x00000015\n"
        "    3: keys\n      Classes: 0x1\n"
    )
    assert parsers.parse_touchscreens(text) == ("synaptics_dsx",)


def test_sensors() -> None:
    sensors = parsers.parse_sensors(sample("sensorservice_samsung.txt"))
    assert sensors is not None
    assert ("LSM6DSO Accelerometer", "android.sensor.accelerometer") in sensors
    assert len(sensors) == 5


@given(st.text())
def test_probe_parsers_never_crash(text: str) -> None:
    parsers.parse_features(text)
    parsers.parse_ip_link(text)
    parsers.parse_wifi_enabled(text)
    parsers.parse_bluetooth_manager(text)
    cameras = parsers.parse_cameras(text)
    assert cameras.recognised or cameras.count is None
    parsers.parse_sensors(text)
    parsers.parse_touchscreens(text)


# --- states, models


@pytest.mark.parametrize(
    ("state", "words"),
    [
        pytest.param("unauthorized", "USB debugging prompt", id="unauthorized"),
        pytest.param("offline", "replug", id="offline"),
        pytest.param("recovery", "recovery mode", id="recovery"),
        pytest.param("sideload", "sideload", id="sideload"),
        pytest.param("no", "udev", id="no-permissions-split-by-adbutils"),
        pytest.param("weird", "unknown adb state", id="unknown"),
    ],
)
def test_state_messages(state: str, words: str) -> None:
    assert words in parsers.state_message(parsers.normalise_state(state))


@pytest.mark.parametrize(
    ("brand", "manufacturer", "model", "device", "name"),
    [
        pytest.param("samsung", "samsung", "SM-G991B", "o1s", "Galaxy S21 5G", id="samsung-eu"),
        pytest.param("samsung", "samsung", "SM-G991U1", "o1q", "Galaxy S21 5G", id="samsung-us-variant"),
        pytest.param("samsung", "samsung", "SM-S918B/DS", "dm3q", "Galaxy S23 Ultra", id="samsung-dual-sim"),
        pytest.param("google", "Google", "Pixel 8", "shiba", "Pixel 8", id="pixel-by-codename"),
        pytest.param("Redmi", "Xiaomi", "M2101K6G", "sweet", "Redmi Note 10 Pro", id="redmi"),
        pytest.param("OnePlus", "OnePlus", "CPH2581", "aston", "OnePlus 12", id="oneplus"),
        pytest.param("motorola", "motorola", "moto g(60)", "hanoip", "Moto G60", id="motorola"),
        pytest.param("samsung", "samsung", "SM-X999Z", "x", None, id="unknown-samsung"),
        pytest.param("Fairphone", "Fairphone", "FP4", "FP4", None, id="unknown-maker"),
    ],
)
def test_marketing_names(brand: str, manufacturer: str, model: str, device: str, name: str | None) -> None:
    found = marketing_name(brand, manufacturer, model, device)
    assert (found.name if found else None) == name


@pytest.mark.parametrize(
    ("brand", "manufacturer", "make"),
    [pytest.param("samsung", "samsung", "Samsung", id="samsung"), pytest.param("Redmi", "Xiaomi", "Xiaomi", id="redmi"),
     pytest.param("Fairphone", "Fairphone", "Fairphone", id="kept"), pytest.param("", "", "", id="none")],
)  # fmt: skip
def test_make_names(brand: str, manufacturer: str, make: str) -> None:
    assert make_name(brand, manufacturer) == make
