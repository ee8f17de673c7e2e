"""A simulated usbmuxd with N simulated iPhones behind it, so the real pymobiledevice3 runs unchanged against it.

It speaks usbmuxd's plist protocol (16-byte little-endian header + XML plist: ReadBUID, ListDevices, Listen with
Attached/Detached events, ReadPairRecord, SavePairRecord, Connect) on a unix socket (default) or a loopback TCP port;
after a Connect the connection is the device's lockdownd or one of its services (:mod:`drivers.sim.ios_lockdown`).
Point a client at it with ``USBMUXD_SOCKET_ADDRESS=<address>``.

Faults: per device (:class:`drivers.sim.ios_device.Fault`: unplug mid-read, garbage, truncated plist, silence), and
for the daemon itself (:meth:`IosSimulator.stop_daemon` / :meth:`IosSimulator.restart`: usbmuxd missing or restarted).
Every thread, socket and timer is closed by :meth:`IosSimulator.close`.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import plistlib
import select
import shutil
import socket
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from drivers.sim.ios_device import SYSTEM_BUID, Fault, FaultKind, PairingState, SimIphone
from drivers.sim.ios_lockdown import Channel, DeviceSession

__all__ = ["Fault", "FaultKind", "IosSimulator", "PairingState", "SimIphone"]

log = logging.getLogger(__name__)

_HEADER = struct.Struct("<IIII")  # length (with header), version, message type, tag
_PLIST_VERSION = 1
_PLIST_MESSAGE = 8
_RESULT_OK, _RESULT_BADDEV, _RESULT_CONNREFUSED = 0, 2, 3
_POLL_SECONDS = 0.05
_JOIN_SECONDS = 5.0


class _Link:
    """One client connection to the daemon; after a Connect it carries a device session."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.device: SimIphone | None = None
        self.listening = False
        self.send_lock = threading.Lock()

    def send(self, tag: int, message: dict[str, Any]) -> None:
        payload = plistlib.dumps(message)
        frame = _HEADER.pack(_HEADER.size + len(payload), _PLIST_VERSION, _PLIST_MESSAGE, tag) + payload
        with self.send_lock:
            self.sock.sendall(frame)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self.sock, socket.SHUT_RDWR)  # the base method: no TLS goodbye from this thread


class IosSimulator:
    """usbmuxd + the devices on its bus. ``address`` is what USBMUXD_SOCKET_ADDRESS must hold."""

    def __init__(self, devices: Iterable[SimIphone] = (), *, tcp: bool = False) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="refurb-usbmuxd-"))
        self._tcp = tcp
        self._lock = threading.RLock()
        self._devices: dict[str, SimIphone] = {}
        self._attached: dict[str, int] = {}  # udid -> usbmuxd DeviceID
        self._services: dict[str, dict[int, str]] = {}
        self._pair_records: dict[str, bytes] = {}  # what SavePairRecord stored, by udid
        self._device_ids = itertools.count(1)
        self._links: set[_Link] = set()
        self._threads: set[threading.Thread] = set()
        self._timers: set[threading.Timer] = set()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._closed = False
        self.address = ""
        self._unix_path = self.workdir / "usbmuxd.sock"
        self._tcp_port = 0
        for device in devices:
            self.plug(device)

    # lifecycle ------------------------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start (or restart) the daemon on the same address."""
        if self._tcp:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self._tcp_port))
            self._tcp_port = listener.getsockname()[1]
            self.address = f"127.0.0.1:{self._tcp_port}"
        else:
            self._unix_path.unlink(missing_ok=True)
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(str(self._unix_path))
            self.address = str(self._unix_path)
        listener.listen(64)
        self._stop.clear()
        self._listener = listener
        self._accept_thread = threading.Thread(target=self._accept_loop, args=(listener,), name="sim-usbmuxd")
        self._accept_thread.start()

    def stop_daemon(self) -> None:
        """usbmuxd goes away: nothing listens at the address and every open connection drops."""
        self._stop.set()
        thread, self._accept_thread = self._accept_thread, None
        if thread is not None:
            thread.join(_JOIN_SECONDS)
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if not self._tcp:
            self._unix_path.unlink(missing_ok=True)
        with self._lock:
            links = list(self._links)
        for link in links:
            link.kill()
        self._join_threads()

    def restart(self) -> None:
        """usbmuxd restarted: every connection drops, then it listens again on the same address."""
        self.stop_daemon()
        self.start()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            timers = list(self._timers)
        for timer in timers:
            timer.cancel()
            timer.join(_JOIN_SECONDS)
        self.stop_daemon()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _join_threads(self) -> None:
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(_JOIN_SECONDS)

    # the bus --------------------------------------------------------------------------------------------------

    @property
    def devices(self) -> list[SimIphone]:
        with self._lock:
            return list(self._devices.values())

    def device(self, udid: str) -> SimIphone:
        with self._lock:
            return self._devices[udid]

    def attached(self) -> list[str]:
        with self._lock:
            return list(self._attached)

    def listener_count(self) -> int:
        """How many clients follow Attached/Detached messages (a test waits for the driver's to be one)."""
        with self._lock:
            return sum(1 for link in self._links if link.listening)

    def plug(self, device: SimIphone) -> None:
        """Attach a device (again): it gets a new DeviceID and every listener hears of it."""
        with self._lock:
            self._devices[device.udid] = device
            if device.udid in self._attached:
                return
            device_id = next(self._device_ids)
            self._attached[device.udid] = device_id
            self._services[device.udid] = {}
            listeners = [link for link in self._links if link.listening]
        for link in listeners:
            self._notify(link, self._attached_message(device, device_id))

    def unplug(self, device: SimIphone | str, *, replug_after: float | None = None) -> None:
        """Detach a device: its connections drop, listeners hear of it; optionally it comes back (a reboot)."""
        udid = device if isinstance(device, str) else device.udid
        with self._lock:
            device_id = self._attached.pop(udid, None)
            links = [link for link in self._links if link.device is not None and link.device.udid == udid]
            listeners = [link for link in self._links if link.listening]
            target = self._devices.get(udid)
        for link in links:
            link.kill()
        if device_id is not None:
            for link in listeners:
                self._notify(link, {"MessageType": "Detached", "DeviceID": device_id})
        if replug_after is not None and target is not None:
            self.after(replug_after, lambda: self._replug(target))

    def after(self, seconds: float, action: Callable[[], object]) -> None:
        """Do something later (a reboot's replug, a technician tapping Trust); cancelled if the simulator closes."""
        if self._closed:
            return
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        with self._lock:
            self._timers.add(timer)
        timer.start()

    def _replug(self, device: SimIphone) -> None:
        if not self._closed and not device.shut_down:
            self.plug(device)

    def replace_socket(self, old: socket.socket, new: socket.socket) -> None:
        with self._lock:
            for link in self._links:
                if link.sock is old:
                    link.sock = new

    # the daemon -----------------------------------------------------------------------------------------------

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([listener], [], [], _POLL_SECONDS)
                if not ready:
                    continue
                sock, _ = listener.accept()
            except OSError:
                return
            link = _Link(sock)
            thread = threading.Thread(target=self._serve, args=(link,), name="sim-usbmuxd-client", daemon=True)
            with self._lock:
                self._links.add(link)
                self._threads.add(thread)
            thread.start()

    def _serve(self, link: _Link) -> None:
        try:
            self._serve_mux(link)
        except (OSError, ValueError, plistlib.InvalidFileException, struct.error):
            pass
        finally:
            with contextlib.suppress(OSError):
                link.sock.close()
            with self._lock:
                self._links.discard(link)
                self._threads.discard(threading.current_thread())

    def _recv_exact(self, link: _Link, size: int) -> bytes | None:
        data = bytearray()
        while len(data) < size:
            chunk = link.sock.recv(size - len(data))
            if not chunk:
                return None
            data.extend(chunk)
        return bytes(data)

    def _serve_mux(self, link: _Link) -> None:
        while not self._stop.is_set():
            header = self._recv_exact(link, _HEADER.size)
            if header is None:
                return
            length, _version, _message, tag = _HEADER.unpack(header)
            payload = self._recv_exact(link, length - _HEADER.size) if length > _HEADER.size else b""
            if payload is None:
                return
            request = plistlib.loads(payload) if payload else {}
            kind = request.get("MessageType")
            if kind == "Connect":
                session = self._connect(link, tag, request)
                if session is not None:
                    session.serve(socket.ntohs(int(request.get("PortNumber", 0))))
                    return
                continue
            link.send(tag, self._answer(link, kind, request))
            if kind == "Listen":
                with self._lock:
                    attached = [(self._devices[udid], device_id) for udid, device_id in self._attached.items()]
                    link.listening = True
                for device, device_id in attached:
                    self._notify(link, self._attached_message(device, device_id))

    def _answer(self, link: _Link, kind: object, request: dict[str, Any]) -> dict[str, Any]:
        if kind == "ReadBUID":
            return {"BUID": SYSTEM_BUID}
        if kind == "ListDevices":
            with self._lock:
                listed = [self._attached_message(self._devices[udid], i) for udid, i in self._attached.items()]
            return {"DeviceList": listed}
        if kind == "Listen":
            return _result(_RESULT_OK)
        if kind == "ReadPairRecord":
            record = self._pair_record(str(request.get("PairRecordID", "")))
            return {"PairRecordData": record} if record is not None else _result(_RESULT_BADDEV)
        if kind == "SavePairRecord":
            data = request.get("PairRecordData")
            if isinstance(data, bytes):
                with self._lock:
                    self._pair_records[str(request.get("PairRecordID"))] = data
            return _result(_RESULT_OK)
        return _result(1)

    def _pair_record(self, udid: str) -> bytes | None:
        with self._lock:
            device = self._devices.get(udid)
            saved = self._pair_records.get(udid)
        if device is None:
            return None
        if device.pairing is PairingState.PAIRED and saved is not None:
            return saved
        record = device.pair_record()
        return plistlib.dumps(record) if record is not None else None

    def _connect(self, link: _Link, tag: int, request: dict[str, Any]) -> DeviceSession | None:
        device_id = request.get("DeviceID")
        with self._lock:
            udid = next((u for u, i in self._attached.items() if i == device_id), None)
            device = self._devices.get(udid) if udid else None
            services = self._services.get(udid) if udid else None
        port = socket.ntohs(int(request.get("PortNumber", 0)))
        if device is None or services is None:
            link.send(tag, _result(_RESULT_BADDEV))
            return None
        if port != 62078 and port not in services:
            link.send(tag, _result(_RESULT_CONNREFUSED))
            return None
        link.device = device
        link.send(tag, _result(_RESULT_OK))
        return DeviceSession(device, Channel(link.sock, self), services)

    def _notify(self, link: _Link, message: dict[str, Any]) -> None:
        try:
            link.send(0, message)
        except OSError:
            link.kill()

    @staticmethod
    def _attached_message(device: SimIphone, device_id: int) -> dict[str, Any]:
        return {
            "MessageType": "Attached",
            "DeviceID": device_id,
            "Properties": {
                "ConnectionType": "USB",
                "DeviceID": device_id,
                "LocationID": 0x14100000 + device_id,
                "ProductID": 0x12A8,
                "SerialNumber": device.udid,
                "USBSerialNumber": device.udid.replace("-", ""),
                "ConnectionSpeed": 480000000,
            },
        }


def _result(number: int) -> dict[str, Any]:
    return {"MessageType": "Result", "Number": number}
