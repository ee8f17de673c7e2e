"""The parsers and the driver on outputs captured from real phones (tests/data/android/, sources in its README):
each capture through its parser, then served by the simulated phone to the real adbutils client."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.readings import LockState, TestOutcome
from drivers.android import parsers
from drivers.sim.android_phone import parcel_string
from tests.android.conftest import SimFactory, bench_for, phone

DATA = Path(__file__).resolve().parent.parent / "data" / "android"


def captured(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_every_capture_is_listed_in_the_readme() -> None:
    readme = captured("README.md")
    files = sorted(path.name for path in DATA.glob("*.txt"))
    assert files
    assert [name for name in files if f"`{name}`" not in readme] == []


@pytest.mark.parametrize(
    ("name", "level", "status", "health", "voltage", "temperature", "counter", "powered"),
    [
        pytest.param("battery_samsung_s24_oneui.txt", 75, "charging", "good", 4156, 35.7, 3_719_506, True,
                     id="samsung-s24"),
        pytest.param("battery_samsung_oneui_2023.txt", 100, "full", "good", 4312, 30.9, 2_967_000, True,
                     id="samsung-2023"),
        pytest.param("battery_aosp_pixel_c_2016.txt", 19, "charging", "good", 3764, 27.5, None, True,
                     id="pixel-c-counter-zero"),
        pytest.param("battery_android14_clusterfuzz.txt", 80, "not charging", "overheat", 4200, 18.0, 3_376_000,
                     True, id="android14"),
        pytest.param("battery_xiaomi_hyperos3.txt", 80, "charging", "good", 4228, 36.4, None, True,
                     id="hyperos-counter-in-mah"),
        pytest.param("battery_oneplus7_lineage20.txt", 77, "discharging", "good", 3985, 29.4, 2_849_000, False,
                     id="oneplus7-unplugged"),
    ],
)  # fmt: skip
def test_dumpsys_battery_captures(
    name: str,
    level: int,
    status: str,
    health: str,
    voltage: int,
    temperature: float,
    counter: int | None,
    powered: bool,
) -> None:
    battery = parsers.parse_dumpsys_battery(captured(name))
    assert battery is not None
    assert (battery.level_percent, battery.status_text, battery.health_text) == (level, status, health)
    assert (battery.voltage_mv, battery.temperature_c, battery.charge_counter_uah) == (voltage, temperature, counter)
    assert battery.powered is powered


def test_android14_fields_of_a_capture() -> None:
    battery = parsers.parse_dumpsys_battery(captured("battery_android14_clusterfuzz.txt"))
    assert battery is not None
    assert (battery.charging_state, battery.charging_policy, battery.dock_powered) == (4, 1, False)


def test_event_history_does_not_override_the_current_state() -> None:
    # the S24 dump ends with 20 "Sending ACTION_BATTERY_CHANGED: level:71, ... voltage:3998" history lines
    battery = parsers.parse_dumpsys_battery(captured("battery_samsung_s24_oneui.txt"))
    assert battery is not None
    assert (battery.level, battery.voltage_mv) == (75, 4156)


@pytest.mark.parametrize(
    ("name", "asoc", "bsoh", "usage"),
    [
        pytest.param("battery_samsung_s24_oneui.txt", 99, 99, 70188, id="one-ui-bracketed"),
        pytest.param("battery_samsung_oneui_2023.txt", 96, None, 132, id="one-ui-bare"),
    ],
)
def test_samsung_saved_battery_fields(name: str, asoc: int, bsoh: int | None, usage: int) -> None:
    backup = parsers.parse_samsung_battery_backup(captured(name))
    assert backup is not None
    assert (backup.asoc, backup.bsoh, backup.usage) == (asoc, bsoh, usage)


@pytest.mark.parametrize(
    "name",
    [
        "battery_aosp_pixel_c_2016.txt",
        "battery_android14_clusterfuzz.txt",
        "battery_xiaomi_hyperos3.txt",
        "battery_oneplus7_lineage20.txt",
    ],
)
def test_no_samsung_fields_elsewhere(name: str) -> None:
    assert parsers.parse_samsung_battery_backup(captured(name)) is None


def test_dumpsys_account_capture() -> None:
    accounts = parsers.parse_accounts(captured("account_lenovo_tb320fc.txt"))
    assert accounts.recognised
    assert accounts.of_type(parsers.GOOGLE_ACCOUNT_TYPE) == ("owner.one@gmail.com", "owner.two@gmail.com")
    assert accounts.of_type(parsers.SAMSUNG_ACCOUNT_TYPE) == ()
    assert len(accounts.accounts) == 13
    assert ("多邻国", "com.duolingo") in accounts.accounts


def test_samsung_account_dump_after_the_samsung_account_was_removed() -> None:
    text = captured("account_samsung_account_removed.txt")
    # Samsung's authenticator stays registered after the account is removed: only an Account line arms the lock
    assert "AuthenticatorDescription {type=com.osp.app.signin}" in text
    accounts = parsers.parse_accounts(text)
    assert accounts.recognised
    assert len(accounts.accounts) == 30  # "Accounts: 30"; the active session repeats one of them
    assert accounts.of_type(parsers.SAMSUNG_ACCOUNT_TYPE) == ()
    assert len(accounts.of_type(parsers.GOOGLE_ACCOUNT_TYPE)) == 6
    assert ("KL Kundenkonto", "com.kaufland.klapp.Account") in accounts.accounts  # a name with a space


@pytest.mark.parametrize(
    ("name", "owner", "profile_owners", "containers", "admins"),
    [
        pytest.param("device_policy_headwind_motorola.txt", "com.hmdm.launcher", (), (),
                     ("com.hmdm.launcher/.AdminReceiver",), id="headwind-device-owner"),
        pytest.param("device_policy_samsung_secure_folder_excerpt.txt", None, (), ("com.samsung.knox.securefolder",),
                     (), id="samsung-secure-folder"),
    ],
)  # fmt: skip
def test_device_policy_captures(
    name: str, owner: str | None, profile_owners: tuple[str, ...], containers: tuple[str, ...], admins: tuple[str, ...]
) -> None:
    policy = parsers.parse_device_policy(captured(name))
    assert policy.recognised
    assert (policy.device_owner, policy.profile_owners, policy.containers) == (owner, profile_owners, containers)
    assert policy.admins == admins


def test_iphonesubinfo_capture() -> None:
    dump = captured("iphonesubinfo_1_android5_adbkit.txt")
    assert parsers.imei_from_parcel(dump) == "355490060000019"
    assert parsers.luhn_valid("355490060000019")
    assert parcel_string("355490060000019") == dump  # the simulator prints a reply exactly as the phone did


def test_getprop_capture() -> None:
    props = parsers.parse_getprop(captured("getprop_pixel6pro_unlocked_excerpt.txt"))
    assert len(props) == 33
    assert props["ro.build.fingerprint"] == "google/raven/raven:13/TQ2A.230405.003.E1/9802792:user/release-keys"
    assert (props["ro.boot.verifiedbootstate"], props["ro.boot.vbmeta.device_state"]) == ("orange", "unlocked")


# --- the same captures served by the simulated phone to the real adbutils client


@pytest.mark.parametrize(
    ("name", "soh", "charging"),
    [
        pytest.param("battery_samsung_s24_oneui.txt", 99.0, TestOutcome.PASS, id="samsung-s24"),
        pytest.param("battery_android14_clusterfuzz.txt", None, TestOutcome.FAIL, id="powered-not-charging"),
    ],
)
def test_driver_reads_captured_battery(
    make_sim: SimFactory, name: str, soh: float | None, charging: TestOutcome
) -> None:
    profile = "samsung" if "samsung" in name else "pixel"
    sim_phone = phone("CAPTURED1", profile=profile, sysfs="denied", outputs={"dumpsys battery": captured(name)})
    server = make_sim(sim_phone)
    with bench_for(server).phone("CAPTURED1") as android:
        battery = android.battery()
        probes = {probe.test_id: probe for probe in android.probes(battery.dumpsys)}
    assert battery.reading.state_of_health == soh
    assert probes["charging"].outcome is charging


def test_driver_reads_captured_accounts_and_imei(make_sim: SimFactory) -> None:
    sim_phone = phone(
        "CAPTURED2",
        profile="aosp",
        props={"ro.build.version.sdk": "21"},
        outputs={
            "dumpsys account": captured("account_lenovo_tb320fc.txt"),
            "service call iphonesubinfo 1": captured("iphonesubinfo_1_android5_adbkit.txt"),
        },
    )
    server = make_sim(sim_phone)
    with bench_for(server).phone("CAPTURED2") as android:
        locks = android.locks()
        identity = android.identity()
    assert locks.google_frp.state is LockState.ON
    assert "o***@gmail.com" in locks.google_frp.evidence
    assert "owner.one" not in locks.google_frp.evidence  # masked in the evidence
    assert locks.samsung.state is LockState.OFF
    assert identity.identity.imeis == ("355490060000019",)


def test_no_root_probe_on_a_captured_unlocked_pixel(make_sim: SimFactory) -> None:
    boot = parsers.parse_getprop(captured("getprop_pixel6pro_unlocked_excerpt.txt"))
    server = make_sim(phone("CAPTURED3", profile="pixel", props=boot))
    with bench_for(server).phone("CAPTURED3") as android:
        probe = {p.test_id: p for p in android.probes()}["no_root"]
    assert probe.outcome is TestOutcome.FAIL
    assert "bootloader unlocked" in probe.note
    assert "verified boot orange" in probe.note


@pytest.mark.parametrize(
    ("name", "state", "evidence"),
    [
        pytest.param("device_policy_headwind_motorola.txt", LockState.ON, "device owner com.hmdm.launcher",
                     id="headwind-blocks"),
        pytest.param("device_policy_samsung_secure_folder_excerpt.txt", LockState.OFF,
                     "com.samsung.knox.securefolder is the owner's vault, removed by the reset",
                     id="secure-folder-is-not-mdm"),
    ],
)  # fmt: skip
def test_driver_reads_captured_device_policy(make_sim: SimFactory, name: str, state: LockState, evidence: str) -> None:
    sim_phone = phone("CAPTURED4", profile="aosp", outputs={"dumpsys device_policy": captured(name)})
    server = make_sim(sim_phone)
    with bench_for(server).phone("CAPTURED4") as android:
        locks = android.locks()
    assert locks.mdm.state is state
    assert evidence in locks.mdm.evidence


def test_driver_reads_a_samsung_without_its_samsung_account(make_sim: SimFactory) -> None:
    sim_phone = phone(
        "CAPTURED5", profile="samsung", outputs={"dumpsys account": captured("account_samsung_account_removed.txt")}
    )
    server = make_sim(sim_phone)
    with bench_for(server).phone("CAPTURED5") as android:
        locks = android.locks()
    assert locks.samsung.state is LockState.OFF
    assert locks.google_frp.state is LockState.ON
    assert "o***@gmail.com" in locks.google_frp.evidence
