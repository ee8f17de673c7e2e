"""One connected device as the supervisor sees it, whatever its driver: read identity, battery, locks, probes.

Each link turns its driver's errors into three outcomes the supervisor understands: :class:`WaitForPerson` (someone
must do something on the phone; the step is tried again), :class:`LinkGone` (the device left the bench) and
:class:`StepFailed` (this step could not be read; the others still run).

A laptop comes through :class:`LaptopAgentLink`: the agent's readers on the machine it runs on (the real one, or the
demo's simulated one), giving what ``refurb-station agent`` reads, with the same verdicts a bundle import gives.
"""

from __future__ import annotations

import concurrent.futures
import logging
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from app.bench.actions import NOT_READY, ActionCode, NextAction
from app.bench.events import Platform, Step
from audit.readings import BatteryReading, DeviceIdentity, FunctionalResult, LockStatus
from audit.rules.laptop_probes import battery_probe, storage_probe
from drivers.android import AndroidBattery, AndroidBench, AndroidPhone
from drivers.android import errors as android_errors
from drivers.ios import IosBench, IosError, PairingRequired, PairingStatus
from drivers.ios.errors import DeviceGone as IosDeviceGone
from drivers.ios.errors import UsbmuxdUnavailable
from drivers.laptop.battery import BatteryReader
from drivers.laptop.disks import BlockDevice, DiskInspector
from drivers.laptop.errors import LaptopError
from drivers.laptop.inventory import InventoryReader
from drivers.laptop.locks import LockReader

if TYPE_CHECKING:
    from app.commands.agent import Machine

T = TypeVar("T")

log = logging.getLogger(__name__)


class WaitForPerson(Exception):
    def __init__(self, action: NextAction) -> None:
        super().__init__(action.text)
        self.action = action


class LinkGone(Exception):
    """The device is no longer on the bench."""


class StepFailed(Exception):
    """The step could not be read; the message is for the technician."""


class DeviceLink(Protocol):
    platform: Platform
    connection: str
    steps: tuple[Step, ...]

    def identity(self) -> DeviceIdentity: ...

    def battery(self) -> BatteryReading | None: ...

    def locks(self) -> LockStatus: ...

    def probes(self) -> tuple[FunctionalResult, ...]: ...


_PAIRING_ACTIONS = {
    PairingStatus.WAITING_FOR_TRUST: ActionCode.TRUST,
    PairingStatus.NOT_PAIRED: ActionCode.TRUST,
    PairingStatus.PASSCODE_LOCKED: ActionCode.UNLOCK,
    PairingStatus.USER_DENIED: ActionCode.TRUST_DENIED,
}


class IosLink:
    platform = Platform.IOS
    steps: tuple[Step, ...] = (Step.IDENTITY, Step.BATTERY, Step.LOCKS)

    def __init__(self, bench: IosBench, udid: str) -> None:
        self.bench = bench
        self.connection = udid
        # The driver bounds each step by its own time limit; this only guards against a driver that never answers.
        self._wait = bench.step_timeout * 3

    def _result(self, future: concurrent.futures.Future[T]) -> T:
        try:
            return future.result(self._wait)
        except PairingRequired as exc:
            raise WaitForPerson(NextAction(_PAIRING_ACTIONS.get(exc.status, ActionCode.TRUST))) from exc
        except (IosDeviceGone, UsbmuxdUnavailable) as exc:
            raise LinkGone(str(exc)) from exc
        except IosError as exc:
            raise StepFailed(str(exc)) from exc
        except concurrent.futures.TimeoutError as exc:
            raise StepFailed(f"{self.connection}: the iOS driver did not answer") from exc

    def identity(self) -> DeviceIdentity:
        return self._result(self.bench.read_identity(self.connection))

    def battery(self) -> BatteryReading | None:
        return self._result(self.bench.read_battery(self.connection))

    def locks(self) -> LockStatus:
        return self._result(self.bench.read_locks(self.connection))

    def probes(self) -> tuple[FunctionalResult, ...]:
        return ()


class AndroidLink:
    platform = Platform.ANDROID
    steps: tuple[Step, ...] = (Step.IDENTITY, Step.BATTERY, Step.LOCKS, Step.PROBES)

    def __init__(self, bench: AndroidBench, serial: str) -> None:
        self.connection = serial
        self._phone: AndroidPhone = bench.phone(serial)
        self._battery: AndroidBattery | None = None

    @staticmethod
    def _translate(exc: android_errors.AndroidError) -> Exception:
        if isinstance(exc, android_errors.DeviceNotReady):
            if exc.state == "unauthorized":
                return WaitForPerson(NextAction(ActionCode.USB_DEBUGGING))
            return WaitForPerson(NextAction(ActionCode.ADB_STATE, exc.state or NOT_READY))
        if isinstance(exc, android_errors.DeviceGone | android_errors.DeviceNotFound | android_errors.AdbServerMissing):
            return LinkGone(str(exc))
        return StepFailed(str(exc))

    def identity(self) -> DeviceIdentity:
        try:
            return self._phone.identity().identity
        except android_errors.AndroidError as exc:
            raise self._translate(exc) from exc

    def battery(self) -> BatteryReading | None:
        try:
            self._battery = self._phone.battery()
        except android_errors.AndroidError as exc:
            raise self._translate(exc) from exc
        return self._battery.reading

    def locks(self) -> LockStatus:
        try:
            return self._phone.locks()
        except android_errors.AndroidError as exc:
            raise self._translate(exc) from exc

    def probes(self) -> tuple[FunctionalResult, ...]:
        try:
            return self._phone.probes(self._battery.dumpsys if self._battery else None)
        except android_errors.AndroidError as exc:
            raise self._translate(exc) from exc


class LaptopAgentLink:
    """A laptop read by the agent's own readers on a :class:`~app.commands.agent.Machine` (the station's own laptop
    with ``run --this-laptop``, or the demo's simulated one). Nothing here is unplugged: the agent stops by
    :meth:`~app.bench.coordinator.BenchCoordinator.detach_agent`."""

    platform = Platform.LAPTOP
    steps: tuple[Step, ...] = (Step.IDENTITY, Step.BATTERY, Step.LOCKS, Step.PROBES)

    def __init__(self, machine: Machine, connection: str) -> None:
        self.machine = machine
        self.connection = connection
        self._disks: tuple[BlockDevice, ...] = ()
        self._batteries: tuple[BatteryReading, ...] = ()
        self._battery_problems: tuple[str, ...] = ()
        self._make: str | None = None

    def identity(self) -> DeviceIdentity:
        try:
            self._disks = DiskInspector(self.machine.runner).disks()
        except LaptopError as exc:  # the identity does not need the disks: their size stays unknown, not zero
            log.warning("%s: disks: %s", self.connection, exc)
            self._disks = ()
        reader = InventoryReader(self.machine.runner, dmi_root=self.machine.dmi_root, proc_root=self.machine.proc_root)
        # The agent's own boot stick (USB) is not the laptop's storage: the same identity as its bundle import.
        internal = tuple(disk for disk in self._disks if disk.transport != "usb")
        try:
            inventory = reader.read(internal)
            self._make = inventory.make
            return inventory.identity()
        except LaptopError as exc:
            raise StepFailed(str(exc)) from exc

    def battery(self) -> BatteryReading | None:
        reader = BatteryReader(self.machine.runner, sysfs_root=self.machine.power_supply, system=self.machine.system)
        try:
            self._batteries, self._battery_problems = reader.read(), ()
        except LaptopError as exc:
            self._batteries, self._battery_problems = (), (f"battery: {exc}",)
            raise StepFailed(str(exc)) from exc
        return self._batteries[0] if self._batteries else None

    def locks(self) -> LockStatus:
        try:
            return LockReader(self.machine.runner, make=self._make, system=self.machine.system).read().status
        except LaptopError as exc:
            raise StepFailed(str(exc)) from exc

    def probes(self) -> tuple[FunctionalResult, ...]:
        """The plan's steps the agent can vouch for (``battery``, ``storage_health``), judged as a bundle import
        judges them; the rest of the laptop plan is the technician's checklist."""
        inspector = DiskInspector(self.machine.runner)
        disks: list[dict[str, Any]] = []
        try:
            for disk in self._disks:
                disks.append({**inspector.health(disk.path).as_dict(), "transport": disk.transport})
        except LaptopError as exc:
            raise StepFailed(str(exc)) from exc
        results = (battery_probe(self._batteries, self._battery_problems), storage_probe(disks))
        return tuple(result for result in results if result is not None)
