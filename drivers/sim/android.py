"""A simulated adb server: the host smart-socket protocol on 127.0.0.1, serving simulated phones to the real adbutils.

Protocol (as adb's SERVICES.TXT and adbutils speak it): each request is 4 hex digits of length then the payload; the
server answers ``OKAY`` (with a length-prefixed block for queries) or ``FAIL`` + length + message. ``host:`` requests
are answered by the server; ``host:transport:S`` / ``host:tport:serial:S`` (which adds an 8-byte little-endian
transport id) / ``host:transport-id:N`` switch the connection to that phone, whose services (``shell:``, ``shell,v2:``
with its framed stdout / stderr / exit packets) follow. ``host:track-devices`` stays open and sends the device list
on every change.

Faults: a phone's ``hang_on`` / ``unplug_on`` / ``garbage_on`` (see :class:`SimPhone`); :meth:`AdbServerSim.kill`
makes the server vanish (every connection dropped, the port refuses); :func:`unused_port` gives a port where no
server listens. Every thread and socket is closed by :meth:`AdbServerSim.close`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import select
import socket
import threading
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Self

from drivers.sim.android_phone import PROFILES, ShellAnswer, SimPhone, luhn_complete
from drivers.sim.samsung_modem import SamsungModemSim

log = logging.getLogger(__name__)

ADB_SERVER_VERSION = 41  # 1.0.41: adb from platform-tools 29 and later; adbutils then uses host:tport
_POLL = 0.05
MODEMS_ENV = "REFURB_SAMSUNG_MODEMS"  # the station's drivers.android.modem reads it: "ADB_SERIAL=PORT,..."


def unused_port() -> int:
    """A loopback port nothing listens on (the OS picked it; it is released before return)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class _Closed(Exception):
    """The client went away."""


def _block(text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return f"{len(data):04x}".encode() + data


def _fail(message: str) -> bytes:
    return b"FAIL" + _block(message)


_NOT_READY = {
    "unauthorized": (
        "device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\n"
        "Try 'adb kill-server' if that seems wrong.\nOtherwise check for a confirmation dialog on your device."
    ),
    "offline": "device offline",
    "authorizing": "device still authorizing",
    "connecting": "device still connecting",
    "sideload": "device is in sideload mode",
    "bootloader": "device is in bootloader mode",
    "no permissions": "insufficient permissions for device",
}


class AdbServerSim:
    """The adb server of a simulated bench; a context manager that serves until closed."""

    def __init__(self, phones: Iterable[SimPhone] = (), *, version: int = ADB_SERVER_VERSION) -> None:
        self.version = version
        self._lock = threading.Condition()
        self._phones: dict[str, SimPhone] = {}
        self._transport_ids: dict[str, int] = {}
        self._next_id = 1
        self._generation = 0
        for phone in phones:
            self._attach(phone)
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._clients: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._accept_thread = threading.Thread(target=self._accept, name=f"adb-sim:{self.port}", daemon=True)
        self.requests: list[str] = []  # every host request, for tests that check what the client asked

    # --- lifecycle

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        self._accept_thread.start()

    def kill(self) -> None:
        """The adb server dies: the port stops answering and every open connection drops."""
        self.close()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        with contextlib.suppress(OSError):
            self._listener.close()
        if self._accept_thread.is_alive():
            self._accept_thread.join(timeout=5)
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=5)
        for client in clients:
            with contextlib.suppress(OSError):
                client.close()

    # --- the bench

    @property
    def phones(self) -> tuple[SimPhone, ...]:
        with self._lock:
            return tuple(self._phones.values())

    def phone(self, serial: str) -> SimPhone:
        with self._lock:
            return self._phones[serial]

    def plug(self, phone: SimPhone) -> None:
        with self._lock:
            self._attach(phone)
            self._changed()

    def unplug(self, serial: str) -> None:
        with self._lock:
            self._phones.pop(serial, None)
            self._transport_ids.pop(serial, None)
            self._changed()

    def set_state(self, serial: str, state: str) -> None:
        with self._lock:
            self._phones[serial].state = state
            self._changed()

    def _attach(self, phone: SimPhone) -> None:
        self._phones[phone.serial] = phone
        self._transport_ids[phone.serial] = self._next_id
        self._next_id += 1

    def _changed(self) -> None:
        self._generation += 1
        self._lock.notify_all()

    def _device_list(self, long: bool) -> str:
        with self._lock:
            lines = []
            for serial, phone in self._phones.items():
                if long:
                    tid = self._transport_ids[serial]
                    lines.append(f"{serial:<22} {phone.state} {phone.devices_l_tags()} transport_id:{tid}\n")
                else:
                    lines.append(f"{serial}\t{phone.state}\n")
            return "".join(lines)

    # --- serving

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._listener], [], [], _POLL)
                if not ready:
                    continue
                client, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(client,), name="adb-sim-conn", daemon=True)
            with self._lock:
                if self._stop.is_set():
                    client.close()
                    return
                self._clients.add(client)
                self._threads.add(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        try:
            self._handle(client)
        except (_Closed, OSError):
            pass
        except Exception:  # a simulator bug must be visible, not a silent hang
            log.exception("the adb simulator failed on a connection")
        finally:
            with self._lock:
                self._clients.discard(client)
                self._threads.discard(threading.current_thread())
            with contextlib.suppress(OSError):
                client.close()

    def _read_request(self, client: socket.socket) -> str:
        header = self._read_exact(client, 4)
        try:
            length = int(header, 16)
        except ValueError as exc:
            raise _Closed from exc
        return self._read_exact(client, length).decode("utf-8", errors="replace")

    def _read_exact(self, client: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            if self._stop.is_set():
                raise _Closed
            chunk = client.recv(size - len(data))
            if not chunk:
                raise _Closed
            data += chunk
        return data

    def _handle(self, client: socket.socket) -> None:
        request = self._read_request(client)
        self.requests.append(request)
        if request == "host:version":
            client.sendall(b"OKAY" + _block(f"{self.version:04x}"))
        elif request in ("host:devices", "host:devices-l"):
            client.sendall(b"OKAY" + _block(self._device_list(long=request.endswith("-l"))))
        elif request == "host:track-devices":
            self._track(client)
        elif request.startswith(("host-serial:", "host-transport-id:")):
            self._host_query(client, request)
        elif request.startswith(("host:transport:", "host:tport:serial:", "host:transport-id:")):
            phone = self._switch(client, request)
            if phone is not None:
                self._device_service(client, phone, self._read_request(client))
        else:
            client.sendall(_fail(f"unknown host service '{request}'"))

    def _find(self, request: str) -> SimPhone | None:
        with self._lock:
            if request.startswith(("host:transport-id:", "host-transport-id:")):
                wanted = request.split(":")[1]
                for serial, tid in self._transport_ids.items():
                    if str(tid) == wanted:
                        return self._phones[serial]
                return None
            serial = request.rsplit(":", 1)[1] if request.startswith("host:") else request.split(":")[1]
            return self._phones.get(serial)

    def _host_query(self, client: socket.socket, request: str) -> None:
        phone = self._find(request)
        if phone is None:
            client.sendall(_fail(f"device '{request.split(':')[1]}' not found"))
            return
        query = request.split(":", 2)[2]
        answers = {"get-state": phone.state, "get-serialno": phone.serial, "get-devpath": "usb:1-1"}
        if query == "features":
            if phone.state != "device":
                client.sendall(_fail(_NOT_READY.get(phone.state, f"device {phone.state}")))
                return
            client.sendall(b"OKAY" + _block(phone.features))
        elif query in answers:
            client.sendall(b"OKAY" + _block(answers[query]))
        else:
            client.sendall(_fail(f"unsupported operation: {query}"))

    def _switch(self, client: socket.socket, request: str) -> SimPhone | None:
        phone = self._find(request)
        if phone is None:
            client.sendall(_fail(f"device '{request.rsplit(':', 1)[1]}' not found"))
            return None
        if phone.state not in ("device", "recovery", "rescue"):
            client.sendall(_fail(_NOT_READY.get(phone.state, f"device {phone.state}")))
            return None
        with self._lock:
            tid = self._transport_ids.get(phone.serial, 0)
        client.sendall(b"OKAY" + (tid.to_bytes(8, "little") if request.startswith("host:tport:") else b""))
        return phone

    def _device_service(self, client: socket.socket, phone: SimPhone, service: str) -> None:
        if not service.startswith("shell"):
            client.sendall(_fail(f"closed: {service.split(':', 1)[0]} is not simulated"))
            return
        options, _, command = service.partition(":")
        v2 = "v2" in options.split(",")[1:]
        if phone.state != "device" and not command.startswith("getprop"):
            client.sendall(_fail("closed"))
            return
        client.sendall(b"OKAY")
        fault = phone.fault_for(command)
        if fault == "hang":
            self._hang(client)
            return
        answer = phone.run(command)
        if fault == "garbage":
            answer = ShellAnswer(phone.garbage(command))
        if fault == "unplug":
            half = answer.stdout[: max(1, len(answer.stdout) // 2)]
            client.sendall(b"\x01" + len(half).to_bytes(4, "little") + half if v2 else half)
            self.unplug(phone.serial)
            return
        if v2:
            packets = b""
            if answer.stdout:
                packets += b"\x01" + len(answer.stdout).to_bytes(4, "little") + answer.stdout
            if answer.stderr:
                packets += b"\x02" + len(answer.stderr).to_bytes(4, "little") + answer.stderr
            packets += b"\x03" + (1).to_bytes(4, "little") + bytes([answer.exit_status & 0xFF])
            client.sendall(packets)
        else:
            # shell v1 has no exit status and mixes stderr into the output, as a pty would
            client.sendall(answer.stdout + answer.stderr)

    def _hang(self, client: socket.socket) -> None:
        """A shell that never finishes: hold the connection until the client gives up or the server stops."""
        while not self._stop.is_set():
            ready, _, _ = select.select([client], [], [], _POLL)
            if ready and not client.recv(4096):
                return

    def _track(self, client: socket.socket) -> None:
        client.sendall(b"OKAY")
        seen = -1
        while not self._stop.is_set():
            with self._lock:
                if seen == self._generation:
                    self._lock.wait(timeout=_POLL)
                if self._stop.is_set():
                    return
                generation = self._generation
            if generation != seen:
                client.sendall(_block(self._device_list(long=False)))
                seen = generation
            ready, _, _ = select.select([client], [], [], 0)
            if ready and not client.recv(4096):
                return


# ---------------------------------------------------------------------------------------------------------------------
# a bench of phones


def make_phones(count: int, *, profiles: Sequence[str] = PROFILES) -> list[SimPhone]:
    """``count`` phones with distinct, valid identities, cycling through ``profiles``."""
    phones = []
    for index in range(count):
        profile = profiles[index % len(profiles)]
        prefix = {"samsung": "R5CR", "pixel": "3A1", "aosp": "emu"}[profile]
        tac = {"samsung": "35411812", "pixel": "35882714", "aosp": "35824005"}[profile]
        phones.append(
            SimPhone(
                serial=f"{prefix}{index:08d}",
                profile=profile,
                imei=luhn_complete(f"{tac}{index:06d}"),
                imei2=luhn_complete(f"{tac}{index + 500_000:06d}") if profile == "samsung" else None,
                battery_level=40 + (index * 7) % 60,
                cycle_count=80 + index * 37 % 700,
                # production Pixels refuse the battery sysfs files to adb's shell; the emulator has none
                sysfs={"samsung": "readable", "pixel": "denied", "aosp": "absent"}[profile],
            )
        )
    return phones


@dataclasses.dataclass(frozen=True, slots=True)
class AndroidSimBench:
    """What ``serve_androids`` runs: point ANDROID_ADB_SERVER_PORT at ``port``; modems are pty paths, and
    ``modem_of`` says whose (adb serial -> path), as REFURB_SAMSUNG_MODEMS tells the station."""

    port: int
    server: AdbServerSim
    modems: tuple[str, ...] = ()
    modem_of: tuple[tuple[str, str], ...] = ()

    @property
    def environment(self) -> dict[str, str]:
        environment = {"ANDROID_ADB_SERVER_HOST": "127.0.0.1", "ANDROID_ADB_SERVER_PORT": str(self.port)}
        if self.modem_of:
            # a pty has no USB serial number to match the phone by, so the simulated bench names each port's phone
            environment[MODEMS_ENV] = ",".join(f"{serial}={path}" for serial, path in self.modem_of)
        return environment


@contextlib.contextmanager
def serve_androids(
    count: int,
    *,
    phones: Iterable[SimPhone] | None = None,
    profiles: Sequence[str] = PROFILES,
    modems: bool = False,
) -> Iterator[AndroidSimBench]:
    """Serve ``count`` simulated phones (or the given ``phones``) on an adb server simulator, plus, with ``modems``,
    one Samsung modem port (a pty) per Samsung phone. Yields the bench; everything is closed on exit.
    """
    bench = list(phones) if phones is not None else make_phones(count, profiles=profiles)
    with contextlib.ExitStack() as stack:
        modem_of: list[tuple[str, str]] = []
        if modems:
            for phone in bench:
                if phone.profile != "samsung":
                    continue
                props = phone.all_props
                modem = stack.enter_context(
                    SamsungModemSim(
                        model=props["ro.product.model"],
                        serial=props.get("ril.serialnumber", phone.serial),
                        imei=phone.imei or "",
                    )
                )
                modem_of.append((phone.serial, modem.port))
        server = stack.enter_context(AdbServerSim(bench))
        yield AndroidSimBench(server.port, server, tuple(path for _, path in modem_of), tuple(modem_of))
