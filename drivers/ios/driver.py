"""The iOS driver: one asyncio event loop, on its own thread, owns every connection to every iPhone and iPad.

pymobiledevice3 connections are bound to the loop that made them, so nothing here is ever awaited from another
loop: the public methods are a synchronous facade that hands coroutines to the driver's loop and returns
``concurrent.futures.Future`` objects (or blocks, for the quick ones), which the worker pool or the CLI can wait on.

usbmuxd is found the way libusbmuxd finds it: ``USBMUXD_SOCKET_ADDRESS`` ("host:port" or a unix socket path) unless
an address is given. Pair records are kept in the folder the station gives (its data dir), never in the user's home.
One device's failure never touches another's connection; every reading already taken is kept.

Pairing needs a person: an unpaired device shows "Trust this computer?" (only once it is unlocked). The driver then
keeps asking in the background (one pairing task per device, up to ``trust_timeout``) and says where it stands in
:meth:`IosBench.pairing_status` and a ``PAIRING`` event. A step either reports that at once (``wait_for_person=0``:
the bench supervisor shows it and asks again) or waits up to ``wait_for_person`` seconds for the Trust tap, or for
the unlock a paired but locked device needs before some services start, and then carries on by itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import enum
import logging
import ssl
import tempfile
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from cryptography.hazmat.primitives.asymmetric import rsa
from pymobiledevice3 import exceptions as pmd3
from pymobiledevice3 import usbmux
from pymobiledevice3.lockdown import PlistUsbmuxLockdownClient, UsbmuxLockdownClient
from pymobiledevice3.service_connection import ServiceConnection, create_ssl_context
from pymobiledevice3.services.diagnostics import DiagnosticsService
from pymobiledevice3.services.mobile_config import MobileConfigService
from pymobiledevice3.services.mobilebackup2 import Mobilebackup2Service

from audit.readings import BatteryReading, DeviceIdentity, ErasureOutcome, LockStatus
from drivers.ios import erase as erasing
from drivers.ios.erase import EraseRoute
from drivers.ios.errors import (
    BadAnswer,
    DeviceGone,
    DeviceRefused,
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
DEFAULT_TRUST_TIMEOUT = 300.0  # how long the driver keeps asking a device to trust it, in the background
_UNLOCK_POLL_SECONDS = 0.5  # how often a step waiting for an unlock tries again
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
    PAIRING = "pairing"  # a device's pairing status changed; ``detail`` is the new PairingStatus value


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


_LOCKDOWN_PORT = 62078


class _SessionConnection(ServiceConnection):
    """The lockdown connection, remembering the TLS context its session was secured with (for the services)."""

    tls_context: ssl.SSLContext | None = None

    async def start_tls(self, ssl_context: ssl.SSLContext) -> None:
        await super().start_tls(ssl_context)
        self.tls_context = ssl_context


class _LockdownClient(PlistUsbmuxLockdownClient):
    """pymobiledevice3's lockdown client over a plist usbmuxd, opening each service on the device it is connected to,
    with one TLS context per pair record.

    The library's client looks the device up again for every service it starts (a ListDevices of the whole bench,
    parsed in full), which made the client-side work of one device grow with the number of devices attached. It also
    makes a new TLS context for the session and for every service (the pair record's key written to a temporary file
    and parsed again, about 1 ms of the loop's time each): here the session's context, made from the same pair record
    with the same TLS versions, secures every service of the device. Each connection still does its own full
    handshake (the library's asyncio streams offer no TLS session to resume).
    """

    _tls: tuple[tuple[bytes, bytes], ssl.SSLContext] | None = None  # (host certificate, host key) -> context

    async def validate_pairing(self) -> bool:
        paired = await super().validate_pairing()
        session = getattr(self.service, "tls_context", None)
        # iOS < 5 sessions use older TLS versions than its services: their context is not the services' one
        if paired and session is not None and session.minimum_version is ssl.TLSVersion.TLSv1_2:
            self._tls = (self._host_credentials(), session)
        return paired

    async def start_lockdown_service(self, name: str, include_escrow_bag: bool = False) -> ServiceConnection:
        # the library's start_lockdown_service, with the context made once per pair record
        attributes = await self.get_service_connection_attributes(name, include_escrow_bag=include_escrow_bag)
        context = self._service_tls_context() if attributes.get("EnableServiceSSL", False) else None
        return await self.create_service_connection(attributes["Port"], ssl_context=context)

    def _host_credentials(self) -> tuple[bytes, bytes]:
        if self.pair_record is None:
            raise pmd3.NotPairedError()
        return bytes(self.pair_record["HostCertificate"]), bytes(self.pair_record["HostPrivateKey"])

    def _service_tls_context(self) -> ssl.SSLContext:
        credentials = self._host_credentials()
        if self._tls is None or self._tls[0] != credentials:  # a new pair record (re-paired): a new context
            with self.ssl_file() as path:
                self._tls = (credentials, create_ssl_context(path))
        return self._tls[1]

    async def create_service_connection(
        self, port: int, ssl_context: ssl.SSLContext | None = None, strip_ssl: bool = False
    ) -> ServiceConnection:
        device = self.service.mux_device
        if device is None:
            return await super().create_service_connection(port, ssl_context, strip_ssl)
        sock = await device.connect(port, usbmux_address=self.usbmux_address)
        return await ServiceConnection.from_socket(
            sock, ssl_context=ssl_context, strip_ssl=strip_ssl, mux_device=device
        )


@dataclasses.dataclass(frozen=True, slots=True)
class _Pairing:
    task: asyncio.Task[bool]
    answered: asyncio.Event


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
        wait_for_person: float = 0.0,
        trust_timeout: float = DEFAULT_TRUST_TIMEOUT,
    ) -> None:
        self.pair_records_dir = Path(pair_records_dir)
        self.usbmux_address = usbmux_address
        self.step_timeout = step_timeout
        self.erase_verify_timeout = erase_verify_timeout
        self.wait_for_person = wait_for_person
        self.trust_timeout = max(trust_timeout, wait_for_person)
        self._on_event = on_event
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="ios-driver", daemon=True)
        self._clients: dict[str, UsbmuxLockdownClient] = {}
        # A device's lock lives while a step holds or awaits it (their local reference): no entry per device ever seen
        self._device_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._pairing: dict[str, PairingStatus] = {}
        self._pairing_guard = threading.Lock()
        self._pairings: dict[str, _Pairing] = {}  # the background Trust wait, per device
        self._locked_steps: dict[str, set[Step]] = {}  # steps a paired device refused until it is unlocked
        self._host_key: rsa.RSAPrivateKey | None = None  # one host key for every pair record, as a real host has
        self._attached: dict[str, usbmux.MuxDevice] = {}  # what usbmuxd's Attached messages said, while followed
        self._buid: str | None = None  # usbmuxd's SystemBUID, read once per usbmuxd run
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

    def erase(
        self, udid: str, routes: tuple[EraseRoute, ...] = erasing.DEFAULT_ROUTES
    ) -> concurrent.futures.Future[ErasureOutcome]:
        """Erase all content and settings: MCInstall first, Mobilebackup2 if MCInstall refuses (or ``routes``)."""
        return self._call(self.erase_async(udid, routes))

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
        the device (or usbmuxd) is gone or will not pair, which ends the pass. Nothing read before a failure is lost."""
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
                if isinstance(exc, DeviceGone | UsbmuxdUnavailable):
                    break
                if isinstance(exc, PairingRequired) and udid not in self._clients:
                    break  # not paired: no step can run (paired but locked: the steps that need no unlock still do)
        return IosInspection(
            udid=udid,
            pairing=self.pairing_status(udid),
            identity=readings.get(Step.IDENTITY),
            battery=readings.get(Step.BATTERY),
            locks=readings.get(Step.LOCKS),
            errors=tuple(errors),
        )

    async def erase_async(self, udid: str, routes: tuple[EraseRoute, ...] = erasing.DEFAULT_ROUTES) -> ErasureOutcome:
        """Erase all content and settings, trying each route in turn while the device refuses it.

        Only a refusal (the device said no) moves on to the next route; an erase cut short (no answer, unplugged)
        does not, since the device may have started erasing. The outcome's tool string names the routes tried.
        """
        if not routes:
            raise ValueError("no erase route to try")
        started_at = datetime.now(UTC)
        tried: list[EraseRoute] = []
        refusals: list[str] = []
        for route in routes:
            tried.append(route)
            try:
                await self._with_device(udid, Step.ERASE, _ERASE_COMMANDS[route])
                break
            except (PairingRequired, UsbmuxdUnavailable):
                if refusals:  # an earlier route was refused: that is the erasure to record
                    return erasing.outcome(started_at, None, *refusals, routes=tuple(tried[:-1]))
                raise  # nothing was sent: there is no erasure to record
            except DeviceRefused as exc:
                log.info("%s: %s refused the erase: %s", udid, route, exc)
                refusals.append(f"{route}: {exc}")
            except IosError as exc:
                return erasing.outcome(started_at, None, *refusals, str(exc), routes=tuple(tried))
        else:
            return erasing.outcome(started_at, None, *refusals, routes=tuple(tried))
        await self._drop(udid)  # the device drops the link as it starts erasing

        async def attached() -> bool:
            try:
                return any(device.udid == udid for device in await self.list_devices())
            except IosError:
                return False

        evidence = await erasing.watch_return(attached, lambda: self._still_trusted(udid), self.erase_verify_timeout)
        log.info("erase of %s through %s: %s", udid, tried[-1], evidence)
        return erasing.outcome(started_at, evidence, routes=tuple(tried))

    async def _still_trusted(self, udid: str) -> bool:
        """Whether the device still accepts this station's pair record (an erased device does not)."""
        try:
            lockdown = await asyncio.wait_for(self._connect(udid), self.step_timeout)
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
            before = self._pairing.get(udid)
            self._pairing[udid] = status
        if before is not status and status is not PairingStatus.UNKNOWN:
            self._emit(IosEvent(IosEventKind.PAIRING, udid, status.value))

    async def _connect(self, udid: str) -> UsbmuxLockdownClient:
        """A lockdown connection, in session if the device already trusts this station (pairing is :meth:`_pair`'s).

        What pymobiledevice3's ``create_using_usbmux`` does, less its two extra usbmuxd round trips per connection
        (a ListDevices of the whole bench, a ReadBUID): the device comes from the Attached messages being followed
        (else one lookup) and the BUID is read once.
        """
        try:
            device = self._attached.get(udid)
            if device is None:
                device = await usbmux.select_device(udid, usbmux_address=self.usbmux_address)
                if device is None:
                    raise pmd3.DeviceNotFoundError(udid)
            if self._buid is None:
                async with await usbmux.create_mux(usbmux_address=self.usbmux_address) as mux:
                    if not isinstance(mux, usbmux.PlistMuxConnection):
                        raise UsbmuxdUnavailable("connecting: this usbmuxd does not speak the plist protocol", udid)
                    self._buid = await mux.get_buid()
            sock = await device.connect(_LOCKDOWN_PORT, usbmux_address=self.usbmux_address)
            service = await _SessionConnection.from_socket(sock, mux_device=device)
            try:
                client: UsbmuxLockdownClient = await _LockdownClient.create(
                    service,
                    identifier=udid,
                    system_buid=self._buid,
                    autopair=False,
                    pairing_records_cache_folder=self.pair_records_dir,
                    usbmux_address=self.usbmux_address,
                )
            except BaseException:
                await service.close()
                raise
            return client
        except Exception as exc:
            raise translate(exc, udid, "connecting") from exc

    async def _lockdown(self, udid: str, wait: float) -> UsbmuxLockdownClient:
        """The device's lockdown session, paired. An unpaired device gets a background pairing task (Trust dialog);
        this waits up to ``wait`` seconds for it, then raises :class:`PairingRequired` with where it stands."""
        client = self._clients.get(udid)
        if client is not None:
            return client
        pairing = self._pairings.get(udid)
        if pairing is None or pairing.task.done():
            async with asyncio.timeout(self.step_timeout):
                client = await self._connect(udid)
            if client.paired:
                self._set_pairing(udid, PairingStatus.PAIRED)
                self._clients[udid] = client
                return client
            answered = asyncio.Event()
            task = asyncio.create_task(self._pair(udid, client, answered), name=f"ios-pair-{udid}")
            pairing = self._pairings[udid] = _Pairing(task, answered)
        async with asyncio.timeout(self.step_timeout):
            await pairing.answered.wait()  # the device's first answer is device time, not the person's
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(pairing.task), max(wait, 0.0))
        client = self._clients.get(udid)
        if client is not None:
            return client
        status = self.pairing_status(udid)
        if status in (PairingStatus.PAIRED, PairingStatus.UNKNOWN):
            status = PairingStatus.NOT_PAIRED
        raise PairingRequired(f"connecting: {status.value} ({status.advice})", udid, status)

    async def _pair(self, udid: str, client: UsbmuxLockdownClient, answered: asyncio.Event) -> bool:
        """Ask the device to trust this station until someone taps Trust or Don't Trust, or ``trust_timeout``.

        pymobiledevice3 does the asking: one immediate try (to learn whether the dialog is up or the screen is
        locked), then its own wait on the dialog. A locked device cannot show the dialog: it is asked again every
        ``_UNLOCK_POLL_SECONDS`` until it is unlocked. Never raises; the outcome is in the pairing status.
        ``answered`` is set once the device has said where it stands (paired, dialog up, locked, denied).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.trust_timeout
        paired = False
        dialog_up = False
        try:
            if self._host_key is None:
                self._host_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            while True:
                remaining = deadline - loop.time()
                try:
                    async with asyncio.timeout(max(remaining, 0.0) + self.step_timeout):
                        await client.pair(timeout=max(remaining, 0.0) if dialog_up else 0, private_key=self._host_key)
                    break
                except pmd3.PairingDialogResponsePendingError:
                    self._set_pairing(udid, PairingStatus.WAITING_FOR_TRUST)
                    answered.set()
                    if dialog_up and loop.time() >= deadline:
                        log.info("%s: nobody tapped Trust within %.0f s", udid, self.trust_timeout)
                        return False
                    dialog_up = True
                except (pmd3.PasswordRequiredError, pmd3.PasscodeRequiredError):
                    self._set_pairing(udid, PairingStatus.PASSCODE_LOCKED)
                    answered.set()
                    dialog_up = False
                    if loop.time() >= deadline:
                        return False
                    await asyncio.sleep(_UNLOCK_POLL_SECONDS)
            async with asyncio.timeout(self.step_timeout):
                paired = await client.validate_pairing()
            if not paired:
                self._set_pairing(udid, PairingStatus.NOT_PAIRED)
                return False
            self._clients[udid] = client
            self._set_pairing(udid, PairingStatus.PAIRED)
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            try:
                error = translate(exc, udid, "pairing")
            except BaseException:
                error = IosError(f"pairing: {exc}", udid)
            log.info("%s", error)
            self._set_pairing(udid, error.status if isinstance(error, PairingRequired) else PairingStatus.NOT_PAIRED)
            return False
        finally:
            answered.set()
            if not paired:
                with contextlib.suppress(Exception):
                    await client.close()

    async def _drop(self, udid: str) -> None:
        pairing = self._pairings.pop(udid, None)
        if pairing is not None and not pairing.task.done():
            pairing.task.cancel()
            await asyncio.gather(pairing.task, return_exceptions=True)
        self._locked_steps.pop(udid, None)
        client = self._clients.pop(udid, None)
        if client is not None:
            try:
                await client.close()
            except Exception as exc:  # closing a dead link may fail in many ways; it is gone either way
                log.debug("closing %s: %s", udid, exc)

    async def _with_device(
        self, udid: str, step: Step, action: Callable[[str, UsbmuxLockdownClient], Awaitable[T]]
    ) -> T:
        """Run one step on one device, serialised with that device's other steps, within the step time limit.

        The time a person takes (tapping Trust, unlocking) is not the device's: it is bounded by ``wait_for_person``
        instead, after which the step reports what the person must do."""
        lock = self._device_locks.setdefault(udid, asyncio.Lock())
        loop = asyncio.get_running_loop()
        person_deadline = loop.time() + self.wait_for_person
        async with lock:
            while True:
                try:
                    lockdown = await self._lockdown(udid, person_deadline - loop.time())
                    async with asyncio.timeout(self.step_timeout):
                        result = await action(udid, lockdown)
                    waiting = self._locked_steps.get(udid, set())
                    waiting.discard(step)
                    if not waiting:  # nothing refused for want of an unlock (any more)
                        self._set_pairing(udid, PairingStatus.PAIRED)
                    return result
                except Exception as exc:
                    error = translate(exc, udid, step.value)
                    if isinstance(exc, TimeoutError) and not isinstance(error, DeviceTimeout):
                        error = DeviceTimeout(f"{step.value}: the device did not answer in time", udid)
                    if isinstance(error, PairingRequired):
                        self._set_pairing(udid, error.status)
                        # paired, but the screen is locked and this service waits for it to be unlocked
                        locked = error.status is PairingStatus.PASSCODE_LOCKED and udid in self._clients
                        if locked:
                            self._locked_steps.setdefault(udid, set()).add(step)
                        if locked and loop.time() + _UNLOCK_POLL_SECONDS <= person_deadline:
                            await asyncio.sleep(_UNLOCK_POLL_SECONDS)
                            continue
                    else:
                        await self._drop(udid)  # the link is in an unknown state: the next step reconnects
                    if isinstance(error, DeviceGone) and await self._is_listed(udid):
                        error = BadAnswer(
                            f"{step.value}: the device dropped the connection mid-answer", udid, error.raw
                        )
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
            with self._pairing_guard:  # readers default to UNKNOWN: nothing kept per device gone
                self._pairing.pop(event.udid, None)
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
                    self._attached = {device.serial: device for device in mux.devices}
                    current = set(self._attached)
                    for udid in sorted(current - known):
                        self._emit(IosEvent(IosEventKind.ATTACHED, udid))
                    for udid in sorted(known - current):
                        await self._drop(udid)
                        self._emit(IosEvent(IosEventKind.DETACHED, udid))
                    known = current
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._attached = {}
                self._buid = None  # a restarted usbmuxd may be another one
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


async def _erase_by_mcinstall(udid: str, lockdown: UsbmuxLockdownClient) -> None:
    async with MobileConfigService(lockdown) as installer:
        await installer.erase_device(preserve_data_plan=False, disallow_proximity_setup=True)


async def _erase_by_mobilebackup2(udid: str, lockdown: UsbmuxLockdownClient) -> None:
    # DeviceLink wants a backup directory; an erase moves no file, so an empty temporary one will do
    with tempfile.TemporaryDirectory(prefix="refurb-mb2-") as folder:
        async with Mobilebackup2Service(lockdown) as backup:
            await backup.erase_device(folder)


_ERASE_COMMANDS: dict[EraseRoute, Callable[[str, UsbmuxLockdownClient], Awaitable[None]]] = {
    EraseRoute.MCINSTALL: _erase_by_mcinstall,
    EraseRoute.MOBILEBACKUP2: _erase_by_mobilebackup2,
}


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
