"""Android phones over adb: discovery and tracking, identity, battery, locks, functional probes and erasure.

:class:`AndroidBench` is the transport and factory (one adb server); :class:`AndroidPhone` is one phone, a context
manager, whose methods each read one capability and return :mod:`audit.readings` values with their sources.
Everything goes through adbutils (the real client) with :mod:`drivers.android.client`'s guards: no adb server is
ever started, every wait is bounded, and every failure is an :class:`~drivers.android.errors.AndroidError` naming
the phone. One phone's fault never touches another: each command has its own connection.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from adbutils import AdbDevice

from audit.readings import (
    BatteryReading,
    CapacityUnit,
    DeviceFamily,
    DeviceIdentity,
    ErasureOutcome,
    ErasureStatus,
    FunctionalResult,
    LockCheck,
    LockState,
    LockStatus,
    MeasuredBy,
    NistLevel,
    TestOutcome,
    VerificationResult,
)
from drivers.android import parsers
from drivers.android.client import StationAdbClient, server_address, translate
from drivers.android.errors import (
    AdbProtocolError,
    AndroidError,
    CommandFailed,
    CommandTimeout,
    DeviceGone,
    DeviceNotFound,
    DeviceNotReady,
    LockedDevice,
)
from drivers.android.models import make_name, marketing_name

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds for any one adb exchange: a phone that takes longer is reported, not waited for


@dataclasses.dataclass(frozen=True, slots=True)
class AttachedDevice:
    """A line of ``adb devices -l``: the serial, the state and what to tell the technician about it."""

    serial: str
    state: str
    model: str | None = None
    product: str | None = None
    device: str | None = None
    transport_id: int | None = None

    @property
    def ready(self) -> bool:
        return self.state == "device"

    @property
    def message(self) -> str:
        return parsers.state_message(self.state)


@dataclasses.dataclass(frozen=True, slots=True)
class BenchEvent:
    """A change on the bench: ``attached`` / ``detached`` / ``state`` (with the new state), or ``server lost``."""

    kind: str
    serial: str = ""
    state: str = ""
    error: AndroidError | None = None

    @property
    def message(self) -> str:
        if self.error is not None:
            return str(self.error)
        if self.kind == "detached":
            return "unplugged"
        return parsers.state_message(self.state)


@dataclasses.dataclass(frozen=True, slots=True)
class ShellResult:
    command: str
    output: str
    exit_status: int


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
        }


@dataclasses.dataclass(frozen=True, slots=True)
class AndroidBattery:
    reading: BatteryReading
    dumpsys: parsers.DumpsysBattery | None
    samsung: parsers.SamsungBatteryBackup | None
    sources: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "reading": self.reading.as_record(),
            "soh_percent": self.reading.soh_percent,
            "level_percent": self.dumpsys.level_percent if self.dumpsys else None,
            "temperature_c": self.dumpsys.temperature_c if self.dumpsys else None,
            "voltage_mv": self.dumpsys.voltage_mv if self.dumpsys else None,
            "status": self.dumpsys.status_text if self.dumpsys else "unknown",
            "health": self.dumpsys.health_text if self.dumpsys else "unknown",
            "sources": dict(self.sources),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class AndroidInspection:
    """Everything one inspection read. A part that failed is None and its reason is in ``problems``."""

    serial: str
    state: str
    identity: AndroidIdentity | None = None
    battery: AndroidBattery | None = None
    locks: LockStatus | None = None
    probes: tuple[FunctionalResult, ...] = ()
    problems: tuple[str, ...] = ()
    interrupted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "state": self.state,
            "message": parsers.state_message(self.state),
            "identity": self.identity.as_dict() if self.identity else None,
            "battery": self.battery.as_dict() if self.battery else None,
            "locks": self.locks.as_record() if self.locks else None,
            "probes": [probe.as_record() for probe in self.probes],
            "problems": list(self.problems),
            "interrupted": self.interrupted,
        }


# ---------------------------------------------------------------------------------------------------------------------


class AndroidBench:
    """One adb server and the phones it sees. Nothing connects until a method is called."""

    def __init__(self, host: str | None = None, port: int | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.address = server_address(host, port)
        self.timeout = timeout
        self.client = StationAdbClient(*self.address, max_timeout=timeout)

    def _call(self, what: Callable[[], Any], serial: str | None = None, raw: str = "") -> Any:
        try:
            return self.client.call(what)
        except Exception as exc:
            raise translate(exc, serial=serial, address=self.address, raw=raw) from exc

    def server_version(self) -> int:
        version: int = self._call(self.client.server_version, raw="host:version")
        return version

    def devices(self) -> tuple[AttachedDevice, ...]:
        """Every phone the server sees, whatever its state (``host:devices-l``)."""
        infos = self._call(lambda: self.client.list(extended=True), raw="host:devices-l")
        found = []
        for info in infos:
            tags: dict[str, str] = dict(info.tags)
            tid = tags.get("transport_id", "")
            found.append(
                AttachedDevice(
                    serial=info.serial,
                    state=parsers.normalise_state(info.state),
                    model=tags.get("model", "").replace("_", " ") or None,
                    product=tags.get("product") or None,
                    device=tags.get("device") or None,
                    transport_id=int(tid) if tid.isdigit() else None,
                )
            )
        return tuple(found)

    def phone(self, serial: str, *, timeout: float | None = None) -> AndroidPhone:
        return AndroidPhone(self, serial, timeout=timeout or self.timeout)

    def track(self, on_event: Callable[[BenchEvent], None] | None = None) -> DeviceTracker:
        """Follow attach / detach / state changes (``host:track-devices``) on a thread; close it when done."""
        return DeviceTracker(self, on_event)


class DeviceTracker:
    """A thread reading ``host:track-devices``; events go to the callback and to :attr:`events`."""

    def __init__(self, bench: AndroidBench, on_event: Callable[[BenchEvent], None] | None) -> None:
        self._bench = bench
        self._on_event = on_event
        self.events: queue.Queue[BenchEvent] = queue.Queue()
        self._stop = threading.Event()
        self._connection: Any = bench._call(lambda: bench.client.make_connection(), raw="host:track-devices")
        try:
            self._connection.send_command("host:track-devices")
            self._connection.check_okay()
            self._connection.conn.settimeout(None)  # waits for changes as long as the bench runs; close() ends it
        except Exception as exc:
            self._connection.close()
            raise translate(exc, serial=None, address=bench.address, raw="host:track-devices") from exc
        self._thread = threading.Thread(target=self._run, name="adb-track", daemon=True)
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._connection.conn.shutdown(2)  # SHUT_RDWR wakes the reading thread
        self._thread.join(timeout=5)
        with contextlib.suppress(Exception):
            self._connection.close()

    def _emit(self, event: BenchEvent) -> None:
        self.events.put(event)
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a listener's bug must not end the tracking of every phone
                log.exception("a bench listener failed on %s", event)

    def _run(self) -> None:
        known: dict[str, str] = {}
        while not self._stop.is_set():
            try:
                text = self._connection.read_string_block()
            except Exception as exc:
                if not self._stop.is_set():
                    error = translate(exc, serial=None, address=self._bench.address, raw="host:track-devices")
                    self._emit(BenchEvent("server lost", error=error))
                return
            current: dict[str, str] = {}
            for line in text.splitlines():
                serial, _, state = line.partition("\t")
                if serial.strip() and state.strip():
                    current[serial.strip()] = parsers.normalise_state(state.strip())
            for serial in known.keys() - current.keys():
                self._emit(BenchEvent("detached", serial, "absent"))
            for serial, state in current.items():
                if serial not in known:
                    self._emit(BenchEvent("attached", serial, state))
                elif known[serial] != state:
                    self._emit(BenchEvent("state", serial, state))
            known = current


# ---------------------------------------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


class AndroidPhone:
    """One phone. Each method reads one capability; :meth:`inspect` reads them all and keeps going past a part that
    fails, recording why."""

    def __init__(self, bench: AndroidBench, serial: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.bench = bench
        self.serial = serial
        self.timeout = timeout
        self._device = AdbDevice(bench.client, serial=serial)
        self._props: dict[str, str] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing stays open between commands; kept so a phone is used like every other driver."""

    # --- transport

    def state(self) -> str:
        state: str = self.bench._call(self._device.get_state, self.serial, "get-state")
        return parsers.normalise_state(state)

    def shell(self, command: str, *, timeout: float | None = None, check: bool = True) -> ShellResult:
        """Run ``command`` with the shell v2 protocol (exit status, and a clean error if the phone goes away)."""
        limit = timeout or self.timeout
        result = self.bench._call(
            lambda: self._device.shell2(command, timeout=limit, encoding=None, v2=True),
            self.serial,
            command,
        )
        output = bytes(result.output).decode("utf-8", errors="replace")
        if check and result.returncode != 0:
            raise CommandFailed(
                f"`{command}` failed with exit status {result.returncode}",
                serial=self.serial,
                raw=output,
                exit_status=int(result.returncode),
            )
        return ShellResult(command, output, int(result.returncode))

    def props(self) -> dict[str, str]:
        """Every system property (one ``getprop``), read once per phone object."""
        if self._props is None:
            result = self.shell("getprop")
            props = parsers.parse_getprop(result.output)
            if "ro.product.model" not in props:
                raise AdbProtocolError("getprop printed no ro.product.model", serial=self.serial, raw=result.output)
            self._props = props
        return self._props

    # --- identity

    def identity(self) -> AndroidIdentity:
        props = self.props()
        sources: list[tuple[str, str]] = []
        brand = props.get("ro.product.brand", "")
        manufacturer = props.get("ro.product.manufacturer", "")
        model_number = props["ro.product.model"]
        make = make_name(brand, manufacturer) or "Unknown"
        sources.append(("make", "getprop ro.product.brand / ro.product.manufacturer"))
        marketing = marketing_name(brand, manufacturer, model_number, props.get("ro.product.device", ""))
        if marketing:
            sources.append(("marketing_name", marketing.source))
        serial, serial_source = self._serial_of(props)
        sources.append(("serial", serial_source))
        sdk = parsers.parse_sdk(props.get("ro.build.version.sdk"))
        imeis = self.imeis(sdk)
        for reading in imeis:
            sources.append((f"imei {reading.value}", reading.source))
        storage = self._storage()
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
            hardware_id=self.serial,
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

    def _serial_of(self, props: Mapping[str, str]) -> tuple[str, str]:
        # Samsung's adb serial is a USB id; the serial on the box and in Samsung's records is ril.serialnumber.
        for key in ("ril.serialnumber", "ro.serialno", "ro.boot.serialno"):
            value = props.get(key, "").strip()
            if value and value.lower() not in ("unknown", "0", "00000000"):
                return value, f"getprop {key}"
        return self.serial, "adb serial"

    def imeis(self, sdk: int | None) -> tuple[parsers.ImeiReading, ...]:
        """IMEIs from ``service call iphonesubinfo`` (transactions per SDK level), best effort, Luhn-checked."""
        found: dict[str, parsers.ImeiReading] = {}
        for query in parsers.imei_queries(sdk):
            try:
                result = self.shell(query.command, check=False)
            except (CommandTimeout, AdbProtocolError) as exc:
                log.info("%s: %s: %s", self.serial, query.command, exc)
                continue
            value = parsers.imei_from_parcel(result.output)
            if value and value not in found:
                found[value] = parsers.ImeiReading.of(value, f"{query.command} (SDK {sdk}, slot {query.slot})")
        return tuple(found.values())

    def _storage(self) -> int | None:
        try:
            result = self.shell("df -k /data", check=False)
        except CommandTimeout:
            return None
        return parsers.marketing_storage_bytes(parsers.parse_df_total_bytes(result.output))

    # --- battery

    def battery(self, dumpsys_text: str | None = None) -> AndroidBattery:
        """``dumpsys battery`` whole, sysfs capacities and cycles where readable, the Android 14+ sticky intent's
        cycle count, Samsung's BatteryInfoBackUp health. Each value names its source; what none gives stays None."""
        text = dumpsys_text if dumpsys_text is not None else self.shell("dumpsys battery").output
        dumpsys = parsers.parse_dumpsys_battery(text)
        if dumpsys is None:
            raise AdbProtocolError("`dumpsys battery` printed no battery state", serial=self.serial, raw=text)
        samsung = parsers.parse_samsung_battery_backup(text)
        paths = " ".join(parsers.sysfs_battery_paths())
        sysfs = parsers.parse_sysfs_battery(self._optional(f"grep -sH . {paths}"))
        sources: list[tuple[str, str]] = [("dumpsys", "dumpsys battery")]
        cycle_count: int | None = None
        sdk = parsers.parse_sdk(self.props().get("ro.build.version.sdk"))
        if sdk is not None and sdk >= 34:
            cycle_count = parsers.parse_sticky_battery_cycle_count(self._optional("dumpsys activity broadcasts"))
            if cycle_count is not None:
                sources.append(("cycle_count", "sticky ACTION_BATTERY_CHANGED android.os.extra.CYCLE_COUNT"))
        sysfs_sources = dict(sysfs.sources)
        if cycle_count is None and sysfs.cycle_count is not None:
            cycle_count = sysfs.cycle_count
            sources.append(("cycle_count", f"sysfs {sysfs_sources['cycle_count']}"))
        for field in ("charge_full_uah", "charge_full_design_uah"):
            if field in sysfs_sources:
                sources.append((field, f"sysfs {sysfs_sources[field]}"))
        state_of_health: float | None = None
        if samsung is not None and samsung.asoc is not None:
            state_of_health = float(samsung.asoc)
            sources.append(("state_of_health", "dumpsys battery BatteryInfoBackUp mSavedBatteryAsoc (Samsung)"))
        has_capacity = sysfs.charge_full_uah is not None or sysfs.charge_full_design_uah is not None
        raw = list(dumpsys.raw) + list(sysfs.raw) + [(f"source:{field}", source) for field, source in sources]
        reading = BatteryReading(
            source="adb: " + ", ".join(dict.fromkeys(source for _, source in sources)),
            design_capacity=sysfs.charge_full_design_uah,
            full_charge_capacity=sysfs.charge_full_uah,
            unit=CapacityUnit.UAH if has_capacity else None,
            cycle_count=cycle_count,
            state_of_health=state_of_health,
            raw=tuple(raw),
        )
        return AndroidBattery(reading, dumpsys, samsung, tuple(sources))

    def _optional(self, command: str) -> str:
        """Output of a command whose failure only leaves its values unknown."""
        try:
            return self.shell(command, check=False).output
        except (CommandTimeout, AdbProtocolError) as exc:
            log.info("%s: %s", self.serial, exc)
            return ""

    # --- locks

    def locks(self) -> LockStatus:
        """Google account (FRP), Samsung account (Reactivation Lock) and device owner / profile owner (MDM)."""
        accounts_text = self._lock_source("dumpsys account")
        policy_text = self._lock_source("dumpsys device_policy")
        accounts = parsers.parse_accounts(accounts_text)
        google = self._account_lock(accounts, parsers.GOOGLE_ACCOUNT_TYPE, "Google account (FRP)", accounts_text)
        samsung = self._account_lock(accounts, parsers.SAMSUNG_ACCOUNT_TYPE, "Samsung account", accounts_text)
        policy = parsers.parse_device_policy(policy_text)
        if not policy.recognised:
            mdm = LockCheck(LockState.UNKNOWN, f"dumpsys device_policy unreadable: {policy_text[:80]!r}")
        elif policy.device_owner:
            mdm = LockCheck(LockState.ON, f"device owner {policy.device_owner} (dumpsys device_policy)")
        elif policy.profile_owners:
            mdm = LockCheck(LockState.ON, f"work profile owned by {', '.join(policy.profile_owners)}")
        else:
            admins = f"; device admins: {', '.join(policy.admins)}" if policy.admins else ""
            mdm = LockCheck(LockState.OFF, f"no device or profile owner (dumpsys device_policy){admins}")
        return LockStatus(
            source="adb dumpsys account, dumpsys device_policy",
            icloud=LockCheck(LockState.NOT_APPLICABLE, "Android phone"),
            google_frp=google,
            samsung=samsung,
            mdm=mdm,
        )

    def _lock_source(self, command: str) -> str:
        try:
            return self.shell(command).output
        except (CommandTimeout, CommandFailed, AdbProtocolError) as exc:
            return f"<{exc}>"

    @staticmethod
    def _account_lock(accounts: parsers.AccountsDump, kind: str, label: str, raw: str) -> LockCheck:
        if not accounts.recognised:
            return LockCheck(LockState.UNKNOWN, f"dumpsys account unreadable: {raw[:80]!r}")
        names = accounts.of_type(kind)
        if names:
            masked = ", ".join(parsers.mask_account(name) for name in names)
            return LockCheck(LockState.ON, f"{label} signed in: {masked} (type {kind})")
        return LockCheck(LockState.OFF, f"no account of type {kind} (dumpsys account)")

    # --- functional probes

    def probes(self, dumpsys_battery: parsers.DumpsysBattery | None = None) -> tuple[FunctionalResult, ...]:
        """What adb can show without an app: Wi-Fi and Bluetooth adapters, charging, cameras, sensors, touch screen.
        Presence probes (cameras, sensors, touch) do not replace the manual tests of those parts."""
        if dumpsys_battery is None:
            dumpsys_battery = parsers.parse_dumpsys_battery(self._optional("dumpsys battery"))
        features = parsers.parse_features(self._optional("pm list features"))
        return (
            self._probe_wifi(features),
            self._probe_bluetooth(features),
            _probe_charging(dumpsys_battery),
            self._probe_cameras(features),
            self._probe_sensors(),
            self._probe_touchscreen(features),
        )

    def _probe_wifi(self, features: frozenset[str]) -> FunctionalResult:
        enabled = parsers.parse_wifi_enabled(self._optional("dumpsys wifi"))
        interfaces = parsers.parse_ip_link(self._optional("ip -o link"))
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

    def _probe_bluetooth(self, features: frozenset[str]) -> FunctionalResult:
        status = parsers.parse_bluetooth_manager(self._optional("dumpsys bluetooth_manager"))
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

    def _probe_cameras(self, features: frozenset[str]) -> FunctionalResult:
        cameras = parsers.parse_cameras(self._optional("dumpsys media.camera"))
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

    def _probe_sensors(self) -> FunctionalResult:
        sensors = parsers.parse_sensors(self._optional("dumpsys sensorservice"))
        evidence: tuple[tuple[str, str], ...] = (("command", "dumpsys sensorservice"),)
        if sensors is None:
            return _result("sensors_present", TestOutcome.SKIPPED, "sensor list unreadable", evidence)
        types = {kind.rsplit(".", 1)[-1] for _, kind in sensors}
        evidence += (("sensors", ", ".join(name for name, _ in sensors) or "none"),)
        missing = {"accelerometer", "proximity", "light"} - types
        if missing:
            return _result("sensors_present", TestOutcome.FAIL, f"missing: {', '.join(sorted(missing))}", evidence)
        return _result("sensors_present", TestOutcome.PASS, f"{len(sensors)} sensors listed", evidence)

    def _probe_touchscreen(self, features: frozenset[str]) -> FunctionalResult:
        devices = parsers.parse_touchscreens(self._optional("dumpsys input"))
        evidence: tuple[tuple[str, str], ...] = (("command", "dumpsys input"),)
        if devices is None:
            return _result("touchscreen_present", TestOutcome.SKIPPED, "input devices unreadable", evidence)
        evidence += (("touch devices", ", ".join(devices) or "none"),)
        if devices:
            note = f"touch controller {devices[0]} present; the manual touch-screen test remains"
            return _result("touchscreen_present", TestOutcome.PASS, note, evidence)
        return _result("touchscreen_present", TestOutcome.FAIL, "no touch controller is listed", evidence)

    # --- all of it

    def inspect(self) -> AndroidInspection:
        """Identity, battery, locks and probes; a part that fails is recorded and the others still run. A phone that
        goes away ends the inspection, marked interrupted."""
        problems: list[str] = []
        parts: dict[str, Any] = {}
        state = "device"
        steps: tuple[tuple[str, Callable[[], Any]], ...] = (
            ("identity", self.identity),
            ("battery", lambda: self.battery()),
            ("locks", self.locks),
            ("probes", lambda: self.probes(parts["battery"].dumpsys if parts.get("battery") else None)),
        )
        for name, step in steps:
            try:
                parts[name] = step()
            except (DeviceGone, DeviceNotFound, DeviceNotReady) as exc:
                problems.append(f"{name}: {exc}")
                state = getattr(exc, "state", "") or "absent"
                return AndroidInspection(self.serial, state, problems=tuple(problems), interrupted=True, **parts)
            except AndroidError as exc:
                if not isinstance(exc, (CommandTimeout, CommandFailed, AdbProtocolError)):
                    raise
                problems.append(f"{name}: {exc}")
        return AndroidInspection(self.serial, state, problems=tuple(problems), **parts)

    # --- erasure

    def erase(self, *, confirm: Callable[[str], bool] | None = None) -> ErasureOutcome:
        """Factory reset, after checking that no lock would survive it.

        Android 10+ with ``cmd testharness``: Test Harness Mode, recorded as what it is (a factory reset that keeps
        the station's adb key). Otherwise the phone is rebooted to recovery and ``confirm`` asks the technician to
        run "Wipe data/factory reset" and say when it finished. Neither is verified by the station.
        """
        locks = self.locks()
        blocking = [(kind, check) for kind, check in locks.items() if check.state in (LockState.ON, LockState.UNKNOWN)]
        if blocking:
            reasons = "; ".join(f"{kind.value} {check.state.value}: {check.evidence}" for kind, check in blocking)
            raise LockedDevice(f"not erased: remove the locks first ({reasons})", serial=self.serial, raw=reasons)
        props = self.props()
        sdk = parsers.parse_sdk(props.get("ro.build.version.sdk"))
        version = self.bench.server_version()
        tool_version = f"adb server 1.0.{version}; Android {props.get('ro.build.version.release', '?')} (SDK {sdk})"
        started = _now()
        if sdk is not None and sdk >= 29:
            outcome = self._erase_test_harness(started, tool_version, confirm)
            if outcome is not None:
                return outcome
        return self._erase_in_recovery(started, tool_version, confirm)

    def _erase_test_harness(
        self, started: datetime, tool_version: str, confirm: Callable[[str], bool] | None
    ) -> ErasureOutcome | None:
        method = (
            "Android Test Harness Mode (cmd testharness enable): factory reset that keeps the station's adb key "
            "and leaves the phone in test-harness mode"
        )
        try:
            result = self.shell("cmd testharness enable", check=False)
        except DeviceGone:
            if confirm is None:
                raise
            confirmed = confirm(
                "The phone disconnected after Test Harness Mode was asked for. Did it restart into a "
                "factory reset and then the setup screen?"
            )
            status = ErasureStatus.ERASED if confirmed else ErasureStatus.FAILED
            errors = () if confirmed else ("the phone disconnected and the technician did not see the reset",)
            return self._outcome(method, status, started, tool_version, "technician confirmation", errors)
        if result.exit_status == 0:
            return self._outcome(method, ErasureStatus.ERASED, started, tool_version, "none", ())
        log.info("%s: cmd testharness unavailable (%s): falling back to recovery", self.serial, result.output.strip())
        return None

    def _erase_in_recovery(
        self, started: datetime, tool_version: str, confirm: Callable[[str], bool] | None
    ) -> ErasureOutcome:
        method = "factory reset from the recovery menu (Wipe data/factory reset), performed by the technician"
        if confirm is None:
            raise AndroidError(
                "this phone needs a guided reset in recovery: a technician must confirm it", serial=self.serial
            )
        with contextlib.suppress(DeviceGone):  # the phone leaves adb as it reboots
            self.shell("reboot recovery", check=False)
        confirmed = confirm(
            "The phone is restarting into recovery. Choose 'Wipe data/factory reset' with the volume keys, confirm "
            "with the power key, wait for 'Data wipe complete', then answer yes."
        )
        status = ErasureStatus.ERASED if confirmed else ErasureStatus.ABORTED
        return self._outcome(method, status, started, tool_version, "technician confirmation", ())

    def _outcome(
        self,
        method: str,
        status: ErasureStatus,
        started: datetime,
        tool_version: str,
        verification: str,
        errors: tuple[str, ...],
    ) -> ErasureOutcome:
        return ErasureOutcome(
            method=method,
            # A factory reset is a Clear by NIST SP 800-88; the station does not verify it, so it claims no more.
            nist_level=NistLevel.CLEAR,
            status=status,
            started_at=started,
            finished_at=max(started, _now()),
            tool="adb",
            tool_version=tool_version,
            verification=verification,
            verification_result=VerificationResult.NOT_VERIFIED,
            media=f"Android phone {self.serial}",
            errors=errors,
        )


def _result(test_id: str, outcome: TestOutcome, note: str, evidence: tuple[tuple[str, str], ...]) -> FunctionalResult:
    return FunctionalResult(test_id, outcome, MeasuredBy.AUTOMATIC, note, evidence)


def _probe_charging(battery: parsers.DumpsysBattery | None) -> FunctionalResult:
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


def iter_inspections(bench: AndroidBench, serials: Iterable[str], workers: int = 16) -> list[AndroidInspection]:
    """Inspect several phones at once (one worker thread each, up to ``workers``); a phone's failure stays its own."""
    from concurrent.futures import ThreadPoolExecutor

    def one(serial: str) -> AndroidInspection:
        try:
            with bench.phone(serial) as phone:
                return phone.inspect()
        except AndroidError as exc:
            return AndroidInspection(
                serial, getattr(exc, "state", "") or "unknown", problems=(str(exc),), interrupted=True
            )

    chosen = list(serials)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(chosen) or 1))) as pool:
        return list(pool.map(one, chosen))
