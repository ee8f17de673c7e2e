"""One Android phone over adb: its shell, and one method per capability, each returning :mod:`audit.readings`
values with their sources. :meth:`AndroidPhone.inspect` reads them all and keeps going past a part that fails."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from adbutils import AdbDevice

from audit.readings import ErasureOutcome, FunctionalResult, LockStatus
from drivers.android import parsers
from drivers.android.battery import AndroidBattery, read_battery
from drivers.android.client import DEFAULT_TIMEOUT
from drivers.android.erase import erase
from drivers.android.errors import (
    AdbProtocolError,
    AndroidError,
    CommandFailed,
    CommandTimeout,
    DeviceGone,
    DeviceNotFound,
    DeviceNotReady,
)
from drivers.android.identity import AndroidIdentity, read_identity, read_imeis
from drivers.android.locks import read_locks
from drivers.android.modem import DEFAULT_MODEM_TIMEOUT, ModemUnavailable, read_modem_identity
from drivers.android.probes import read_probes
from drivers.android.shell import ShellResult

if TYPE_CHECKING:
    from drivers.android.bench import AndroidBench

log = logging.getLogger(__name__)

# States in which a Samsung phone's modem port still answers while adb cannot: debugging not yet authorised (or its
# key refused) and no USB permission for the adb interface.
MODEM_FALLBACK_STATES = frozenset({"unauthorized", "no permissions"})


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


class AndroidPhone:
    """One phone. Each method reads one capability; :meth:`inspect` reads them all and keeps going past a part that
    fails, recording why."""

    def __init__(self, bench: AndroidBench, serial: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.bench = bench
        self.serial = serial
        self.timeout = timeout
        self._device = AdbDevice(bench.client, serial=serial)
        self._props: dict[str, str] | None = None
        self.modem_problem: str | None = None  # why the modem fallback failed, when it was tried and failed

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

    def optional(self, command: str) -> str:
        """Output of a command whose failure only leaves its values unknown."""
        try:
            return self.shell(command, check=False).output
        except (CommandTimeout, AdbProtocolError) as exc:
            log.info("%s: %s", self.serial, exc)
            return ""

    def props(self) -> dict[str, str]:
        """Every system property (one ``getprop``), read once per phone object."""
        if self._props is None:
            result = self.shell("getprop")
            props = parsers.parse_getprop(result.output)
            if "ro.product.model" not in props:
                raise AdbProtocolError("getprop printed no ro.product.model", serial=self.serial, raw=result.output)
            self._props = props
        return self._props

    def server_version(self) -> int:
        return self.bench.server_version()

    # --- capabilities (each in its own module)

    def identity(self) -> AndroidIdentity:
        """Make, model, serial, Android version, storage and IMEIs, each with its source. When adb cannot be used
        (the phone is not authorised, or adb does not list it) and the phone's Samsung modem port is known, the
        identity comes from the modem instead (``via`` and every source say so); otherwise the adb error stands."""
        try:
            return read_identity(self)
        except (DeviceNotReady, DeviceNotFound) as exc:
            if isinstance(exc, DeviceNotReady) and exc.state not in MODEM_FALLBACK_STATES:
                raise
            fallback = self.modem_identity()
            if fallback is None:
                raise
            log.info("%s: %s; identity read from %s", self.serial, exc, fallback.via)
            return fallback

    def modem_identity(self) -> AndroidIdentity | None:
        """The identity the phone's Samsung modem port gives, or None when no port is known for this phone or it
        gave nothing (why is then in :attr:`modem_problem`)."""
        port = self.bench.modems.find(self.serial)
        if port is None:
            return None
        try:
            return read_modem_identity(port, timeout=min(self.timeout, DEFAULT_MODEM_TIMEOUT))
        except ModemUnavailable as exc:
            self.modem_problem = str(exc)
            log.warning("%s", exc)
            return None

    def imeis(self, sdk: int | None) -> tuple[parsers.ImeiReading, ...]:
        """IMEIs from ``service call iphonesubinfo`` (transactions per SDK level), best effort, Luhn-checked."""
        return read_imeis(self, sdk)

    def battery(self, dumpsys_text: str | None = None) -> AndroidBattery:
        """``dumpsys battery`` whole, sysfs capacities and cycles where readable, the Android 14+ sticky intent's
        cycle count, Samsung's BatteryInfoBackUp health. Each value names its source; what none gives stays None."""
        return read_battery(self, dumpsys_text)

    def locks(self) -> LockStatus:
        """Google account (FRP), Samsung account (Reactivation Lock) and device owner / profile owner (MDM)."""
        return read_locks(self)

    def probes(self, dumpsys_battery: parsers.DumpsysBattery | None = None) -> tuple[FunctionalResult, ...]:
        """What adb can show without an app: Wi-Fi and Bluetooth adapters, charging, cameras, sensors, touch screen."""
        return read_probes(self, dumpsys_battery)

    def erase(self, *, confirm: Callable[[str], bool] | None = None) -> ErasureOutcome:
        """Factory reset after the lock check (see :mod:`drivers.android.erase`)."""
        return erase(self, confirm=confirm)

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
                if self.modem_problem:
                    problems.append(f"modem port: {self.modem_problem}")
                state = getattr(exc, "state", "") or "absent"
                identity: AndroidIdentity | None = parts.get("identity")
                if identity is not None and identity.via != "adb" and not isinstance(exc, DeviceGone):
                    # adb never answered: nothing was cut short; the rest waits for USB debugging.
                    problems.append(
                        f"identity read from the {identity.via}; allow USB debugging on the phone and inspect "
                        "again for battery, locks and probes"
                    )
                    return AndroidInspection(self.serial, state, problems=tuple(problems), **parts)
                return AndroidInspection(self.serial, state, problems=tuple(problems), interrupted=True, **parts)
            except AndroidError as exc:
                if not isinstance(exc, (CommandTimeout, CommandFailed, AdbProtocolError)):
                    raise
                problems.append(f"{name}: {exc}")
        return AndroidInspection(self.serial, state, problems=tuple(problems), **parts)
