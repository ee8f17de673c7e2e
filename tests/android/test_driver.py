"""The Android driver on the real adbutils client against the simulated adb server: discovery, tracking, identity,
battery, locks, probes, erasure."""

from __future__ import annotations

import queue
from typing import Any

import pytest

from audit.readings import ErasureStatus, LockState, TestOutcome, VerificationResult
from drivers.android import AndroidBench, BenchEvent, discovery
from drivers.android.errors import AndroidError, LockedDevice
from drivers.sim.android_phone import luhn_complete
from tests.android.conftest import PIXEL_IMEI, SAMSUNG_IMEI, WAIT_SECONDS, SimFactory, bench_for, phone

# --- discovery and tracking


@pytest.mark.parametrize(
    ("state", "ready", "advice"),
    [
        pytest.param("device", True, "ready", id="device"),
        pytest.param("unauthorized", False, "accept the USB debugging prompt", id="unauthorized"),
        pytest.param("offline", False, "unplug and replug", id="offline"),
        pytest.param("recovery", False, "recovery mode", id="recovery"),
        pytest.param("sideload", False, "sideload", id="sideload"),
    ],
)
def test_devices_with_state_and_advice(make_sim: SimFactory, state: str, ready: bool, advice: str) -> None:
    server = make_sim(phone("R5CR20A1B2C", state=state), phone("3A1XYZ", profile="pixel"))
    devices = {device.serial: device for device in AndroidBench(timeout=2.0).devices()}  # port from the environment
    found = devices["R5CR20A1B2C"]
    assert (found.state, found.ready) == (state, ready)
    assert advice in found.message
    assert found.model == ("SM-G991B" if ready else None)  # an unauthorised phone tells adb nothing about itself
    assert devices["3A1XYZ"].model == "Pixel 8"
    assert "host:devices-l" in server.requests


def test_no_phone_is_an_empty_bench(make_sim: SimFactory) -> None:
    assert bench_for(make_sim()).devices() == ()


def _next(events: queue.Queue[BenchEvent]) -> tuple[str, str, str]:
    event = events.get(timeout=WAIT_SECONDS)
    return event.kind, event.serial, event.state


def test_tracking_attach_state_change_and_detach(make_sim: SimFactory) -> None:
    server = make_sim(phone("R5CR00000001"))
    with bench_for(server).track() as tracker:
        assert _next(tracker.events) == ("attached", "R5CR00000001", "device")
        server.plug(phone("R5CR00000002", state="unauthorized"))
        assert _next(tracker.events) == ("attached", "R5CR00000002", "unauthorized")
        server.set_state("R5CR00000002", "device")  # the technician accepted the prompt
        assert _next(tracker.events) == ("state", "R5CR00000002", "device")
        server.unplug("R5CR00000001")
        assert _next(tracker.events) == ("detached", "R5CR00000001", "absent")
    assert tracker.events.empty()


def test_an_unread_event_queue_keeps_only_the_newest(make_sim: SimFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bench that follows phones through its callback never reads ``events``: it must not grow for ever.
    monkeypatch.setattr(discovery, "EVENTS_KEPT", 3)
    server = make_sim()
    seen: queue.Queue[BenchEvent] = queue.Queue()
    serials = [f"R5CR0000010{n}" for n in range(5)]
    with bench_for(server).track(seen.put) as tracker:
        for serial in serials:
            server.plug(phone(serial))
            assert _next(seen) == ("attached", serial, "device")
        kept = [tracker.events.get_nowait().serial for _ in range(tracker.events.qsize())]
    assert kept == serials[-3:]


def test_tracking_reports_a_lost_server(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    seen: list[BenchEvent] = []
    with bench_for(server).track(seen.append) as tracker:
        assert _next(tracker.events)[0] == "attached"
        server.kill()
        lost = tracker.events.get(timeout=WAIT_SECONDS)
    assert lost.kind == "server lost"
    assert [event.kind for event in seen] == ["attached", "server lost"]


def test_transport_uses_tport_and_shell_v2(make_sim: SimFactory) -> None:
    server = make_sim(phone("R5CR20A1B2C"))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        result = android.shell("echo hi")
    assert (result.output, result.exit_status) == ("hi\n", 0)
    assert "host:tport:serial:R5CR20A1B2C" in server.requests
    assert "host-serial:R5CR20A1B2C:features" in server.requests
    assert server.requests.count("host:version") == 1  # asked once, not before every command


# --- identity


def test_samsung_identity_with_sources(make_sim: SimFactory) -> None:
    second = luhn_complete("35411812500000")
    server = make_sim(phone("R5CR20A1B2C", imei2=second, props={"ril.serialnumber": "R58N41ABCDE"}))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        found = android.identity()
    identity = found.identity
    assert (identity.make, identity.model, identity.model_number) == ("Samsung", "Galaxy S21 5G", "SM-G991B")
    assert identity.serial == "R58N41ABCDE"  # the serial on the box, not the adb serial
    assert dict(found.sources)["serial"] == "getprop ril.serialnumber"
    assert identity.imeis == (SAMSUNG_IMEI, second)
    assert (found.android_version, found.sdk, found.security_patch) == ("14", 34, "2026-09-01")
    assert identity.storage_gb == 128
    assert identity.hardware_id == "R5CR20A1B2C"
    sources = [reading.source for reading in found.imeis]
    assert sources == [
        "service call iphonesubinfo 1 s16 com.android.shell (SDK 34, slot 1)",
        "service call iphonesubinfo 4 i32 2 s16 com.android.shell (SDK 34, slot 2)",
    ]


@pytest.mark.parametrize(
    ("profile", "sdk", "imei_command"),
    [
        pytest.param("pixel", "35", "service call iphonesubinfo 1 s16 com.android.shell", id="pixel-15"),
        pytest.param("aosp", "28", "service call iphonesubinfo 1 s16 com.android.shell", id="aosp-9"),
        pytest.param("aosp", "21", "service call iphonesubinfo 1", id="lollipop-5.0"),
    ],
)
def test_imei_per_sdk_level(make_sim: SimFactory, profile: str, sdk: str, imei_command: str) -> None:
    server = make_sim(phone("SERIAL01", profile=profile, props={"ro.build.version.sdk": sdk}))
    with bench_for(server).phone("SERIAL01") as android:
        found = android.identity()
    assert found.identity.imeis == (PIXEL_IMEI,)
    assert found.imeis[0].source.startswith(imei_command + " (SDK")


def test_pixel_identity_by_codename_and_serialno(make_sim: SimFactory) -> None:
    server = make_sim(phone("3A1XYZ", profile="pixel"))
    with bench_for(server).phone("3A1XYZ") as android:
        found = android.identity()
    assert (found.identity.make, found.identity.model, found.identity.serial) == ("Google", "Pixel 8", "3A1XYZ")
    assert dict(found.sources)["serial"] == "getprop ro.serialno"


def test_unknown_model_keeps_what_the_phone_says(make_sim: SimFactory) -> None:
    server = make_sim(phone("EMU1", profile="aosp"))
    with bench_for(server).phone("EMU1") as android:
        found = android.identity()
    assert (found.identity.model, found.marketing_name) == ("AOSP on ARM64", None)


def test_invalid_imei_is_reported_not_stored(make_sim: SimFactory) -> None:
    server = make_sim(phone("R5CR20A1B2C", imei="354118120000008"))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        found = android.identity()
    assert found.identity.imeis == ()
    assert [(reading.value, reading.luhn_valid) for reading in found.invalid_imeis] == [("354118120000008", False)]
    assert found.identity.serial  # the phone is still identified, by its serial


def test_imei_refused_stays_unknown(make_sim: SimFactory) -> None:
    server = make_sim(phone("3A1XYZ", profile="pixel", imei=None))
    with bench_for(server).phone("3A1XYZ") as android:
        found = android.identity()
    assert (found.imeis, found.identity.imeis) == ((), ())


# --- battery


def test_samsung_battery_every_value_with_its_source(make_sim: SimFactory) -> None:
    server = make_sim(phone(cycle_count=143, samsung_asoc=88))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        battery = android.battery()
    reading = battery.reading
    assert (reading.cycle_count, reading.state_of_health, reading.soh_percent) == (143, 88.0, 88.0)
    assert (reading.design_capacity, reading.full_charge_capacity, reading.unit) == (4_000_000, 3_712_000, "uAh")
    sources = dict(battery.sources)
    assert sources["cycle_count"] == "sticky ACTION_BATTERY_CHANGED android.os.extra.CYCLE_COUNT"
    assert sources["state_of_health"].endswith("mSavedBatteryAsoc (Samsung)")
    assert sources["charge_full_uah"] == "sysfs /sys/class/power_supply/battery/charge_full"
    assert ("mSavedBatteryBsoh", "93") in reading.raw
    assert ("mSavedBatteryUsage", "[41230]") in reading.raw  # as One UI prints it
    assert battery.samsung is not None
    assert battery.samsung.bsoh == 93


def test_battery_before_android_14_takes_cycles_from_sysfs(make_sim: SimFactory) -> None:
    server = make_sim(phone("3A1XYZ", profile="pixel", props={"ro.build.version.sdk": "33"}, cycle_count=321))
    with bench_for(server).phone("3A1XYZ") as android:
        battery = android.battery()
    assert battery.reading.cycle_count == 321
    assert dict(battery.sources)["cycle_count"] == "sysfs /sys/class/power_supply/battery/cycle_count"
    assert battery.reading.soh_percent == round(100 * 3_712_000 / 4_000_000, 1)


@pytest.mark.parametrize(
    ("sysfs", "evidence"),
    [
        pytest.param(
            "denied",
            "sysfs charge_full, charge_full_design, cycle_count: permission denied to adb's shell (only root could "
            "read them)",
            id="production-denied",
        ),
        pytest.param("absent", "sysfs charge_full, charge_full_design, cycle_count: absent on this phone", id="absent"),
        pytest.param("readable", None, id="readable"),
    ],
)
def test_sysfs_access_is_recorded_with_its_reason(make_sim: SimFactory, sysfs: str, evidence: str | None) -> None:
    server = make_sim(phone("3A1XYZ", profile="pixel", props={"ro.build.version.sdk": "33"}, sysfs=sysfs))
    with bench_for(server).phone("3A1XYZ") as android:
        battery = android.battery()
    sources = dict(battery.sources)
    assert sources.get("sysfs") == evidence
    raw = dict(battery.reading.raw)
    expected_state = {"denied": "permission denied", "absent": "absent", "readable": "read"}[sysfs]
    assert raw["sysfs access:charge_full"] == expected_state
    if evidence:
        assert evidence in battery.reading.source
        assert (battery.reading.full_charge_capacity, battery.reading.cycle_count) == (None, None)
    else:
        assert battery.reading.full_charge_capacity == 3_712_000


def test_battery_unknown_stays_unknown(make_sim: SimFactory) -> None:
    server = make_sim(phone("EMU1", profile="aosp", sysfs="absent"))
    with bench_for(server).phone("EMU1") as android:
        battery = android.battery()
    reading = battery.reading
    assert (reading.cycle_count, reading.soh_percent, reading.design_capacity, reading.unit) == (None, None, None, None)
    assert battery.dumpsys is not None
    assert battery.dumpsys.level == 100


# --- locks


@pytest.mark.parametrize(
    ("accounts", "owner", "google", "samsung", "mdm"),
    [
        pytest.param([], None, "off", "off", "off", id="clean"),
        pytest.param([("ana@gmail.com", "com.google")], None, "on", "off", "off", id="google-frp"),
        pytest.param([("ana@samsung.com", "com.osp.app.signin")], None, "off", "on", "off", id="samsung-lock"),
        pytest.param([("x@corp.com", "com.microsoft.workaccount")], "com.airwatch.androidagent", "off", "off", "on",
                     id="mdm-device-owner"),
    ],
)  # fmt: skip
def test_locks(
    make_sim: SimFactory, accounts: list[tuple[str, str]], owner: str | None, google: str, samsung: str, mdm: str
) -> None:
    server = make_sim(phone(accounts=accounts, device_owner=owner))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        locks = android.locks()
    assert (locks.google_frp.state, locks.samsung.state, locks.mdm.state) == (google, samsung, mdm)
    assert locks.icloud.state is LockState.NOT_APPLICABLE
    assert "ana@" not in str(locks.as_record())  # account names are masked in the evidence


def test_unreadable_accounts_are_unknown_not_off(make_sim: SimFactory) -> None:
    denial = "Permission Denial: can't dump AccountsManager from pid=1234, uid=2000\n"
    server = make_sim(phone(outputs={"dumpsys account": denial}))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        locks = android.locks()
    assert (locks.google_frp.state, locks.samsung.state) == (LockState.UNKNOWN, LockState.UNKNOWN)
    assert locks.mdm.state is LockState.OFF


# --- probes


def test_probes_on_a_healthy_phone(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    with bench_for(server).phone("R5CR20A1B2C") as android:
        probes = {probe.test_id: probe for probe in android.probes()}
    assert set(probes) == {
        "wifi",
        "bluetooth",
        "charging",
        "cameras_present",
        "sensors_present",
        "touchscreen_present",
        "no_root",
    }
    assert {probe.outcome for probe in probes.values()} == {TestOutcome.PASS}
    assert {probe.measured_by.value for probe in probes.values()} == {"automatic"}
    assert ("wlan0", "3a:1f:5c:22:9b:01") in probes["wifi"].evidence
    assert "manual" in probes["cameras_present"].note  # a listed camera is not a working camera


@pytest.mark.parametrize(
    ("fields", "test_id", "outcome"),
    [
        pytest.param({"wifi_enabled": False}, "wifi", TestOutcome.SKIPPED, id="wifi-off"),
        pytest.param({"wifi_mac": None}, "wifi", TestOutcome.FAIL, id="wifi-on-no-adapter"),
        pytest.param({"bluetooth_enabled": False, "bluetooth_address": None}, "bluetooth", TestOutcome.SKIPPED,
                     id="bluetooth-off"),
        pytest.param({"bluetooth_address": None}, "bluetooth", TestOutcome.FAIL, id="bluetooth-on-no-address"),
        pytest.param({"has_touchscreen": False}, "touchscreen_present", TestOutcome.FAIL, id="no-touch"),
        pytest.param({"outputs": {"dumpsys battery": "Current Battery Service state:\n  AC powered: false\n"
                                  "  USB powered: false\n  status: 3\n  level: 50\n"}},
                     "charging", TestOutcome.SKIPPED, id="no-charger"),
        pytest.param({"outputs": {"dumpsys battery": "Current Battery Service state:\n  USB powered: true\n"
                                  "  status: 4\n  level: 50\n"}},
                     "charging", TestOutcome.FAIL, id="powered-not-charging"),
        pytest.param({"outputs": {"dumpsys media.camera": "Number of camera devices: 1\n  Facing: Front\n"}},
                     "cameras_present", TestOutcome.FAIL, id="rear-camera-missing"),
        pytest.param({"su_path": "/system/xbin/su"}, "no_root", TestOutcome.FAIL, id="su-found"),
        pytest.param({"props": {"ro.boot.flash.locked": "0", "ro.boot.vbmeta.device_state": "unlocked",
                                "ro.boot.verifiedbootstate": "orange"}}, "no_root", TestOutcome.FAIL,
                     id="bootloader-unlocked"),
        pytest.param({"props": {"ro.boot.verifiedbootstate": "yellow"}}, "no_root", TestOutcome.FAIL,
                     id="custom-key-yellow"),
        pytest.param({"props": {"ro.build.tags": "test-keys"}}, "no_root", TestOutcome.FAIL, id="test-keys"),
        pytest.param({"props": {"ro.boot.verifiedbootstate": "", "ro.boot.flash.locked": "",
                                "ro.boot.vbmeta.device_state": ""}}, "no_root", TestOutcome.SKIPPED,
                     id="boot-state-not-reported"),
        pytest.param({"garbage_on": "which su"}, "no_root", TestOutcome.PASS, id="su-answer-garbage-is-not-a-path"),
    ],
)  # fmt: skip
def test_probe_outcomes(make_sim: SimFactory, fields: dict[str, Any], test_id: str, outcome: TestOutcome) -> None:
    server = make_sim(phone(**fields))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        probes = {probe.test_id: probe for probe in android.probes()}
    assert probes[test_id].outcome is outcome


# --- inspection and erasure


def test_inspect_reads_everything(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    with bench_for(server).phone("R5CR20A1B2C") as android:
        inspection = android.inspect()
    assert (inspection.state, inspection.problems, inspection.interrupted) == ("device", (), False)
    assert inspection.identity is not None
    assert inspection.battery is not None
    assert inspection.locks is not None
    assert len(inspection.probes) == 7
    record = inspection.as_dict()
    assert record["identity"]["identity"]["imeis"] == [SAMSUNG_IMEI]


def test_erase_with_test_harness_is_recorded_as_what_it_is(make_sim: SimFactory) -> None:
    server = make_sim(phone())
    with bench_for(server).phone("R5CR20A1B2C") as android:
        outcome = android.erase()
    assert outcome.status is ErasureStatus.ERASED
    assert "Test Harness Mode" in outcome.method
    assert "keeps the station's adb key" in outcome.method
    assert (outcome.verification, outcome.verification_result) == ("none", VerificationResult.NOT_VERIFIED)
    assert outcome.tool_version.startswith("adb server 1.0.41; Android 14 (SDK 34)")
    assert server.phone("R5CR20A1B2C").erased


def test_erase_is_refused_while_a_lock_is_on(make_sim: SimFactory) -> None:
    server = make_sim(phone(accounts=[("ana@gmail.com", "com.google")]))
    with bench_for(server).phone("R5CR20A1B2C") as android, pytest.raises(LockedDevice, match="google_frp on"):
        android.erase(confirm=lambda _prompt: True)
    sim_phone = server.phone("R5CR20A1B2C")
    assert not sim_phone.erased
    assert not any("testharness" in command or "reboot" in command for command in sim_phone.commands)


@pytest.mark.parametrize(
    ("answer", "status"),
    [pytest.param(True, ErasureStatus.ERASED, id="confirmed"), pytest.param(False, ErasureStatus.ABORTED, id="no")],
)
def test_erase_without_test_harness_is_guided_in_recovery(
    make_sim: SimFactory, answer: bool, status: ErasureStatus
) -> None:
    server = make_sim(phone("EMU1", profile="aosp"))  # Android 9: no cmd testharness
    prompts: list[str] = []

    def technician(prompt: str) -> bool:
        prompts.append(prompt)
        return answer

    with bench_for(server).phone("EMU1") as android:
        outcome = android.erase(confirm=technician)
    assert outcome.status is status
    assert outcome.verification == "technician confirmation"
    assert "recovery" in outcome.method
    assert len(prompts) == 1
    assert "Wipe data/factory reset" in prompts[0]
    assert server.phone("EMU1").state == "recovery"


def test_testharness_missing_falls_back_to_recovery(make_sim: SimFactory) -> None:
    server = make_sim(phone(testharness=False))
    with bench_for(server).phone("R5CR20A1B2C") as android:
        outcome = android.erase(confirm=lambda _prompt: True)
    assert "recovery" in outcome.method
    assert "cmd testharness enable" in server.phone("R5CR20A1B2C").commands


def test_guided_erase_needs_a_technician(make_sim: SimFactory) -> None:
    server = make_sim(phone("EMU1", profile="aosp"))
    with bench_for(server).phone("EMU1") as android, pytest.raises(AndroidError, match="technician must confirm"):
        android.erase()
    assert server.phone("EMU1").state == "device"  # nothing was done to the phone


def test_inspect_many_phones_at_once(make_sim: SimFactory) -> None:
    from drivers.android import iter_inspections

    phones = [phone(f"R5CR{index:08d}") for index in range(4)] + [phone("3A1XYZ", profile="pixel")]
    server = make_sim(*phones)
    results = iter_inspections(bench_for(server), [p.serial for p in phones])
    assert [result.serial for result in results] == [p.serial for p in phones]
    assert all(not result.problems for result in results)
