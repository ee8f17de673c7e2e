"""Bad-input sweep of the Android parsers (getprop, dumpsys battery/account/device_policy, the iphonesubinfo parcel,
sysfs, df, sticky intent, functional probes) on mutations of what the simulated phones really print.

These parsers promise never to raise: what they cannot read comes back unknown (None) or empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from drivers.android import parsers
from drivers.android.battery import SYSFS_COMMAND
from drivers.sim.android_phone import SimPhone, parcel_string
from tests.fuzz._support import fuzz_settings, run_parser, text_inputs

FUZZ = fuzz_settings(40)


def _phone_outputs(command: str) -> tuple[str, ...]:
    outputs = []
    for profile in ("samsung", "pixel", "aosp"):
        phone = SimPhone(
            serial=f"R5CR10{profile.upper()}",
            profile=profile,
            imei="356789012345675",
            accounts=[("jane.doe@gmail.com", "com.google"), ("jane@samsung.example", "com.osp.app.signin")],
            device_owner="com.example.mdm" if profile == "pixel" else None,
        )
        answer = phone.run(command)
        if answer.stdout or answer.stderr:  # the adb shell (v1) merges the two streams, as the driver reads them
            outputs.append((answer.stdout + answer.stderr).decode("utf-8", "replace"))
    return tuple(outputs) or ("",)


PARCELS = (parcel_string("356789012345675"), parcel_string(None), parcel_string("x" * 40), *_phone_outputs(
    "service call iphonesubinfo 1 s16 com.android.shell"
))  # fmt: skip

# (parser, the simulated phones' outputs it reads, a check of the result)
CASES: dict[str, tuple[Callable[[str], Any], tuple[str, ...]]] = {
    "getprop": (parsers.parse_getprop, _phone_outputs("getprop")),
    "sdk": (parsers.parse_sdk, ("34", "29", " 21 ", "")),
    "security_patch": (parsers.parse_security_patch, ("2024-05-01",)),
    "df": (parsers.parse_df_total_bytes, _phone_outputs("df -k /data")),
    "parcel": (parsers.parse_parcel, PARCELS),
    "imei_from_parcel": (parsers.imei_from_parcel, PARCELS),
    "dumpsys_battery": (parsers.parse_dumpsys_battery, _phone_outputs("dumpsys battery")),
    "samsung_battery": (parsers.parse_samsung_battery_backup, _phone_outputs("dumpsys battery")),
    "sysfs_battery": (parsers.parse_sysfs_battery, _phone_outputs(SYSFS_COMMAND)),
    "sticky_cycles": (parsers.parse_sticky_battery_cycle_count, _phone_outputs("dumpsys activity broadcasts")),
    "accounts": (parsers.parse_accounts, _phone_outputs("dumpsys account")),
    "device_policy": (parsers.parse_device_policy, _phone_outputs("dumpsys device_policy")),
    "features": (parsers.parse_features, _phone_outputs("pm list features")),
    "ip_link": (parsers.parse_ip_link, _phone_outputs("ip -o link")),
    "wifi": (parsers.parse_wifi_enabled, _phone_outputs("dumpsys wifi")),
    "bluetooth": (parsers.parse_bluetooth_manager, _phone_outputs("dumpsys bluetooth_manager")),
    "cameras": (parsers.parse_cameras, _phone_outputs("dumpsys media.camera")),
    "sensors": (parsers.parse_sensors, _phone_outputs("dumpsys sensorservice")),
    "touchscreens": (parsers.parse_touchscreens, _phone_outputs("dumpsys input")),
}


def test_every_case_has_a_real_sample() -> None:
    empty = [name for name, (_, samples) in CASES.items() if not any(s.strip() for s in samples)]
    assert not empty, f"no simulated output for {empty}"


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
@FUZZ
@given(data=st.data())
def test_never_raises(name: str, data: st.DataObject) -> None:
    parse, samples = CASES[name]
    text = data.draw(text_inputs(*samples), label="text")
    run_parser(lambda: parse(text), ())


REGRESSIONS = [
    pytest.param(
        parsers.parse_df_total_bytes, "Filesystem 1K-blocks\n/dev/dm-0 ¹²³ 1 1 1% /data\n", id="df-superscript"
    ),
    pytest.param(parsers.parse_df_total_bytes, f"/dev/dm-0 {'9' * 5000} 1 1 1% /data\n", id="df-5000-digits"),
    pytest.param(
        parsers.parse_sticky_battery_cycle_count,
        f"* Sticky action android.intent.action.BATTERY_CHANGED:\n android.os.extra.CYCLE_COUNT={'9' * 5000}\n",
        id="sticky-5000-digits",
    ),
    pytest.param(parsers.parse_cameras, f"Number of camera devices: {'9' * 5000}\n", id="cameras-5000-digits"),
]


@pytest.mark.parametrize(("parse", "text"), REGRESSIONS)
def test_regressions(parse: Callable[[str], Any], text: str) -> None:
    run_parser(lambda: parse(text), ())


@FUZZ
@given(text_inputs(*_phone_outputs("dumpsys battery")))
@example("level: 50\nmSavedBatteryAsoc: 100\n")
def test_samsung_health_only_from_its_own_field(text: str) -> None:
    """ASOC is the only health figure a dump gives; without an ``mSavedBatteryAsoc`` line it stays unknown."""
    backup = parsers.parse_samsung_battery_backup(text)
    if "mSavedBatteryAsoc" not in text:
        assert backup is None or backup.asoc is None
    elif backup is not None and backup.asoc is not None:
        assert 1 <= backup.asoc <= 100


@FUZZ
@given(text_inputs(*_phone_outputs(SYSFS_COMMAND)))
def test_sysfs_capacities_only_from_their_files(text: str) -> None:
    battery = parsers.parse_sysfs_battery(text)
    if "charge_full_design" not in text:
        assert battery.charge_full_design_uah is None
    if "charge_full:" not in text and "charge_full" not in text.replace("charge_full_design", ""):
        assert battery.charge_full_uah is None
