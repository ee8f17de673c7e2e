"""The iOS driver: one asyncio event loop, on its own thread, owns every connection to every iPhone and iPad.

pymobiledevice3 connections are bound to the loop that made them, so nothing here is ever awaited from another
loop: the public methods are a synchronous facade that hands coroutines to the driver's loop and returns
``concurrent.futures.Future`` objects (or blocks, for the quick ones), which the worker pool or the CLI can wait on.

usbmuxd is found the way libusbmuxd finds it: ``USBMUXD_SOCKET_ADDRESS`` ("host:port" or a unix socket path) unless
an address is given. Pair records are kept in the folder the station gives (its data dir), never in the user's home.
One device's failure never touches another's connection; every reading already taken is kept.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import enum
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from pymobiledevice3 import exceptions as pmd3
from pymobiledevice3 import usbmux
from pymobiledevice3.lockdown import UsbmuxLockdownClient, create_using_usbmux
from pymobiledevice3.services.diagnostics import DiagnosticsService
from pymobiledevice3.services.mobile_config import MobileConfigService

from audit.readings import BatteryReading, DeviceIdentity, ErasureOutcome, LockStatus
from drivers.ios import erase as erasing
from drivers.ios.errors import (
    BadAnswer,
    DeviceGone,
    DeviceTimeout,
    IosError,
    PairingRequired,
    PairingStatus,
    UsbmuxdUnavailable,
    translate,
)
from drivers.ios.parsers import battery_from_registry, identity_from_values, locks_from_values

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_STEP_TIMEOUT = 10.0
DEFAULT_ERASE_VERIFY_TIMEOUT = 120.0
_RECONNECT_SECONDS = 0.2
_CLOSE_SECONDS = 5.0
_BATTERY_ENTRIES = ("AppleSmartBattery", "AppleARMPMUCharger")
_CAPACITY_KEYS = ("DesignCapacity", "NominalChargeCapacity", "AppleRawMaxCapacity", "CycleCount")


class Step(enum.StrEnum):
    CONNECT = "connect"
    IDENTITY = "identity"
    BATTERY = "battery"
    LOCKS = "locks"
    ERASE = "erase"
    RESTART = "restart"
    SHUTDOWN = "shutdown"


class IosEventKind(enum.StrEnum):
    ATTACHED = "attached"
    DETACHED = "detached"
    USBMUXD_LOST = "usbmuxd lost"
    USBMUXD_BACK = "usbmuxd back"


@dataclasses.dataclass(frozen=True, slots=True)
class IosEvent:
    kind: IosEventKind
    udid: str | None = None
    detail: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class AttachedDevice:
    udid: str
    device_id: int
    connection: str


@dataclasses.dataclass(frozen=True, slots=True)
class StepError:
    step: Step
    error: IosError

    @property
    def message(self) -> str:
        return f"{self.step.value}: {self.error}"


@dataclasses.dataclass(frozen=True, slots=True)
class IosInspection:
    """Everything one pass over a device read. A step that failed leaves its reading None and says why."""

    udid: str
    pairing: PairingStatus
    identity: DeviceIdentity | None = None
    battery: BatteryReading | None = None
    locks: LockStatus | None = None
    errors: tuple[StepError, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.errors and None not in (self.identity, self.battery, self.locks)

    @property
    def interrupted(self) -> bool:
        """The device went away (or usbmuxd did) before every step ran."""
        return any(isinstance(item.error, DeviceGone | UsbmuxdUnavailable) for item in self.errors)


class IosBench:
    """Every iPhone and iPad on the bench, through usbmuxd. Use as a context manager (starts and stops the loop)."""

    def __init__(
        self,
        pair_records_dir: Path,
        *,
        usbmux_address: str | None = None,
        on_event: Callable[[IosEvent], None] | None = None,
        step_timeout: float = DEFAULT_STEP_TIMEOUT,
        erase_verify_timeout: float = DEFAULT_ERASE_VERIFY_TIMEOUT,
    ) -> None:
        self.pair_records_dir = Path(pair_records_dir)
        self.usbmux_address = usbmux_address
        self.step_timeout = step_timeout
        self.erase_verify_timeout = erase_verify_timeout
        self._on_event = on_event
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="ios-driver", daemon=True)
        self._clients: dict[str, UsbmuxLockdownClient] = {}
        self._device_locks: dict[str, asyncio.Lock] = {}
        self._pairing: dict[str, PairingStatus] = {}
        self._pairing_guard = threading.Lock()
        self._watcher: asyncio.Task[None] | None = None
        self._started = False
        self._closed = False

    # lifecycle ------------------------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.pair_records_dir.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        if self._on_event is not None:
            self._call(self._start_watcher()).result(_CLOSE_SECONDS)

    def close(self) -> None:
        if self._closed or not self._started:
            self._closed = True
            return
        self._closed = True
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(_CLOSE_SECONDS)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(_CLOSE_SECONDS)
            self._loop.close()

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    async def _start_watcher(self) -> None:
        self._watcher = asyncio.create_task(self._watch(), name="ios-usbmuxd-watch")

    async def _shutdown(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, return_exceptions=True)
        for udid in list(self._clients):
            await self._drop(udid)
        current = asyncio.current_task()
        others = [task for task in asyncio.all_tasks() if task is not current]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if not self._started or self._closed:
            coroutine.close()
            raise IosError("the iOS driver is not running")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    # the synchronous facade -----------------------------------------------------------------------------------

    def devices(self) -> list[AttachedDevice]:
        """The iOS devices usbmuxd lists now (blocking)."""
        return self._call(self.list_devices()).result()

    def pairing_status(self, udid: str) -> PairingStatus:
        with self._pairing_guard:
            return self._pairing.get(udid, PairingStatus.UNKNOWN)

    def inspect(self, udid: str) -> concurrent.futures.Future[IosInspection]:
        return self._call(self.inspect_async(udid))

    def read_identity(self, udid: str) -> concurrent.futures.Future[DeviceIdentity]:
        return self._call(self._with_device(udid, Step.IDENTITY, self._read_identity))

    def read_battery(self, udid: str) -> concurrent.futures.Future[BatteryReading | None]:
        return self._call(self._with_device(udid, Step.BATTERY, self._read_battery))

    def read_locks(self, udid: str) -> concurrent.futures.Future[LockStatus]:
        return self._call(self._with_device(udid, Step.LOCKS, self._read_locks))

    def erase(self, udid: str) -> concurrent.futures.Future[ErasureOutcome]:
        return self._call(self.erase_async(udid))

    def restart(self, udid: str) -> concurrent.futures.Future[None]:
        return self._call(self._power(udid, Step.RESTART))

    def shutdown(self, udid: str) -> concurrent.futures.Future[None]:
        return self._call(self._power(udid, Step.SHUTDOWN))

    # the async side (runs on the driver's loop) ---------------------------------------------------------------

    async def list_devices(self) -> list[AttachedDevice]:
        try:
            found = await asyncio.wait_for(usbmux.list_devices(usbmux_address=self.usbmux_address), self.step_timeout)
        except Exception as exc:
            raise translate(exc, None, "listing devices") from exc
        return [AttachedDevice(d.serial, d.devid, d.connection_type) for d in found]

    async def inspect_async(self, udid: str) -> IosInspection:
        """Identity, battery and locks, in that order; a failed step is recorded and the next one still runs, unless
        the device (or usbmuxd) is gone, which ends the pass. Nothing read before a failure is lost."""
        readings: dict[Step, Any] = {}
        errors: list[StepError] = []
        steps: tuple[tuple[Step, Callable[[str, UsbmuxLockdownClient], Awaitable[Any]]], ...] = (
            (Step.IDENTITY, self._read_identity),
            (Step.BATTERY, self._read_battery),
            (Step.LOCKS, self._read_locks),
        )
        for step, read in steps:
            try:
                readings[step] = await self._with_device(udid, step, read)
            except IosError as exc:
                errors.append(StepError(step, exc))
                if isinstance(exc, DeviceGone | UsbmuxdUnavailable | PairingRequired):
                    break
        return IosInspection(
            udid=udid,
            pairing=self.pairing_status(udid),
            identity=readings.get(Step.IDENTITY),
            battery=readings.get(Step.BATTERY),
            locks=readings.get(Step.LOCKS),
            errors=tuple(errors),
        )

    async def erase_async(self, udid: str) -> ErasureOutcome:
        started_at = datetime.now(UTC)

        async def command(udid: str, lockdown: UsbmuxLockdownClient) -> None:
            async with MobileConfigService(lockdown) as installer:
                await installer.erase_device(preserve_data_plan=False, disallow_proximity_setup=True)

        try:
            await self._with_device(udid, Step.ERASE, command)
        except (PairingRequired, UsbmuxdUnavailable):
            raise  # nothing was sent: there is no erasure to record
        except IosError as exc:
            return erasing.outcome(started_at, None, str(exc))
        await self._drop(udid)  # the device drops the link as it starts erasing

        async def attached() -> bool:
            try:
                return any(device.udid == udid for device in await self.list_devices())
            except IosError:
                return False

        evidence = await erasing.watch_return(attached, lambda: self._still_trusted(udid), self.erase_verify_timeout)
        log.info("erase of %s: %s", udid, evidence)
        return erasing.outcome(started_at, evidence)

    async def _still_trusted(self, udid: str) -> bool:
        """Whether the device still accepts this station's pair record (an erased device does not)."""
        try:
            lockdown = await asyncio.wait_for(self._connect(udid, autopair=False), self.step_timeout)
        except (IosError, TimeoutError):
            return False
        try:
            return bool(lockdown.paired)
        finally:
            await lockdown.close()

    async def _power(self, udid: str, step: Step) -> None:
        async def command(udid: str, lockdown: UsbmuxLockdownClient) -> None:
            async with DiagnosticsService(lockdown) as diagnostics:
                if step is Step.RESTART:
                    await diagnostics.restart()  # type: ignore[no-untyped-call]
                else:
                    await diagnostics.shutdown()  # type: ignore[no-untyped-call]

        await self._with_device(udid, step, command)
        await self._drop(udid)

    # connections ----------------------------------------------------------------------------------------------

    def _set_pairing(self, udid: str, status: PairingStatus) -> None:
        with self._pairing_guard:
            self._pairing[udid] = status

    async def _connect(self, udid: str, *, autopair: bool = True) -> UsbmuxLockdownClient:
        try:
            return await create_using_usbmux(
                serial=udid,
                autopair=autopair,
                pair_timeout=0,  # never block on the Trust dialog: report it and let the supervisor retry
                pairing_records_cache_folder=self.pair_records_dir,
                usbmux_address=self.usbmux_address,
            )
        except Exception as exc:
            raise translate(exc, udid, "connecting") from exc

    async def _lockdown(self, udid: str) -> UsbmuxLockdownClient:
        client = self._clients.get(udid)
        if client is not None:
            return client
        try:
            client = await self._connect(udid)
        except PairingRequired as exc:
            self._set_pairing(udid, exc.status)
            raise
        if not client.paired:
            await client.close()
            self._set_pairing(udid, PairingStatus.NOT_PAIRED)
            raise PairingRequired("connecting: the device is not paired", udid, PairingStatus.NOT_PAIRED)
        self._set_pairing(udid, PairingStatus.PAIRED)
        self._clients[udid] = client
        return client

    async def _drop(self, udid: str) -> None:
        client = self._clients.pop(udid, None)
        if client is not None:
            try:
                await client.close()
            except Exception as exc:  # closing a dead link may fail in many ways; it is gone either way
                log.debug("closing %s: %s", udid, exc)

    async def _with_device(
        self, udid: str, step: Step, action: Callable[[str, UsbmuxLockdownClient], Awaitable[T]]
    ) -> T:
        """Run one step on one device, serialised with that device's other steps, within the step time limit."""
        lock = self._device_locks.setdefault(udid, asyncio.Lock())
        async with lock:
            try:
                async with asyncio.timeout(self.step_timeout):
                    lockdown = await self._lockdown(udid)
                    return await action(udid, lockdown)
            except Exception as exc:
                error = translate(exc, udid, step.value)
                if isinstance(exc, TimeoutError) and not isinstance(error, DeviceTimeout):
                    error = DeviceTimeout(f"{step.value}: the device did not answer in time", udid)
                if isinstance(error, PairingRequired):
                    self._set_pairing(udid, error.status)
                else:
                    await self._drop(udid)  # the link is in an unknown state: the next step reconnects
                if isinstance(error, DeviceGone) and await self._is_listed(udid):
                    error = BadAnswer(f"{step.value}: the device dropped the connection mid-answer", udid, error.raw)
                raise error from exc

    async def _is_listed(self, udid: str) -> bool:
        try:
            return any(device.udid == udid for device in await self.list_devices())
        except IosError:
            return False

    # readings -------------------------------------------------------------------------------------------------

    async def _read_identity(self, udid: str, lockdown: UsbmuxLockdownClient) -> DeviceIdentity:
        try:
            disk_usage = await lockdown.get_value("com.apple.disk_usage")
        except pmd3.MissingValueError:
            disk_usage = None
        identity = identity_from_values(lockdown.all_values, disk_usage=disk_usage)
        if identity.hardware_id and identity.hardware_id != udid:
            raise BadAnswer(f"identity: the device says it is {identity.hardware_id}", udid, identity.hardware_id)
        return identity

    async def _read_battery(self, udid: str, lockdown: UsbmuxLockdownClient) -> BatteryReading | None:
        async with DiagnosticsService(lockdown) as diagnostics:
            registry = await diagnostics.get_battery()
            source = "IORegistry IOPMPowerSource"
            if not _has_capacity(registry):
                for entry in _BATTERY_ENTRIES:
                    found = await diagnostics.ioregistry(name=entry)
                    if _has_capacity(found):
                        registry, source = found, f"IORegistry {entry}"
                        break
        if isinstance(registry, dict) and isinstance(registry.get("IOClass"), str):
            source = f"{source} ({registry['IOClass']})"
        return battery_from_registry(registry, source)

    async def _read_locks(self, udid: str, lockdown: UsbmuxLockdownClient) -> LockStatus:
        activation = await _optional(lockdown.get_value(key="ActivationState"))
        fmip = await _optional(lockdown.get_value("com.apple.fmip", "IsAssociated"))
        chaperone = await _optional(lockdown.get_value("com.apple.mobile.chaperone"))
        cloud: object = None
        try:
            async with MobileConfigService(lockdown) as installer:
                cloud = await installer.get_cloud_configuration() or {}
        except (pmd3.StartServiceError, pmd3.ProfileError, pmd3.InvalidServiceError) as exc:
            log.info("%s: no cloud configuration (%s)", udid, exc)
        return locks_from_values(
            activation_state=activation, fmip_associated=fmip, chaperone=chaperone, cloud_configuration=cloud
        )

    # discovery ------------------------------------------------------------------------------------------------

    def _emit(self, event: IosEvent) -> None:
        if event.kind is IosEventKind.DETACHED and event.udid:
            self._set_pairing(event.udid, PairingStatus.UNKNOWN)
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:
            log.exception("iOS event handler failed on %s", event)

    async def _watch(self) -> None:
        """Follow usbmuxd's Attached/Detached messages; reconnect (and say so) when usbmuxd goes away."""
        known: set[str] = set()
        lost = False
        while True:
            mux = None
            try:
                mux = await usbmux.create_mux(usbmux_address=self.usbmux_address)
                if lost:
                    lost = False
                    self._emit(IosEvent(IosEventKind.USBMUXD_BACK))
                await mux.listen()  # type: ignore[no-untyped-call]
                while True:
                    await mux.receive_device_state_update()  # type: ignore[no-untyped-call]
                    current = {device.serial for device in mux.devices}
                    for udid in sorted(current - known):
                        self._emit(IosEvent(IosEventKind.ATTACHED, udid))
                    for udid in sorted(known - current):
                        await self._drop(udid)
                        self._emit(IosEvent(IosEventKind.DETACHED, udid))
                    known = current
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not lost:
                    lost = True
                    self._emit(IosEvent(IosEventKind.USBMUXD_LOST, detail=str(translate_quietly(exc))))
                for udid in sorted(known):
                    await self._drop(udid)
                    self._emit(IosEvent(IosEventKind.DETACHED, udid, "usbmuxd went away"))
                known = set()
                await asyncio.sleep(_RECONNECT_SECONDS)
            finally:
                if mux is not None:
                    await mux.close()  # type: ignore[no-untyped-call]


def translate_quietly(exc: BaseException) -> IosError:
    try:
        return translate(exc, None, "following usbmuxd")
    except BaseException:
        return IosError(f"following usbmuxd: {exc}")


def _has_capacity(registry: object) -> bool:
    return isinstance(registry, dict) and any(key in registry for key in _CAPACITY_KEYS)


async def _optional(request: Awaitable[T]) -> T | None:
    """A lockdown value the device may not have: MissingValue means unknown, not an error."""
    try:
        return await request
    except pmd3.MissingValueError:
        return None
