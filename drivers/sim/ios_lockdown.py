"""The device side of a usbmuxd-forwarded connection: lockdownd (port 62078) and the services it starts.

Each connection runs on its own thread with blocking sockets, so a TLS upgrade mid-stream (StartSession) never
races a buffered byte: the ClientHello stays in the kernel until the socket is wrapped.
"""

from __future__ import annotations

import logging
import plistlib
import socket
import ssl
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from drivers.sim.ios_certs import server_context
from drivers.sim.ios_device import FaultKind, PairingState, SimIphone, new_session_id

log = logging.getLogger(__name__)

LOCKDOWN_PORT = 62078
DIAGNOSTICS = "com.apple.mobile.diagnostics_relay"
MCINSTALL = "com.apple.mobile.MCInstall"
MOBILEBACKUP2 = "com.apple.mobilebackup2"
SERVICES = (DIAGNOSTICS, MCINSTALL, MOBILEBACKUP2)
DL_VERSION = (300, 0)  # DeviceLink's version, as BackupAgent2 offers it
MB2_PROTOCOL_VERSION = 2.1
# BackupAgent2 refuses to restore (and to erase) while Find My is on: MBErrorDomain 211
MB_ERROR_FIND_MY = 211
MB_ERROR_FIND_MY_TEXT = "Find My iPhone must be disabled before erasing"
GARBAGE = b"\x00\x13garbage, not a plist \xff\xfe"


class ConnectionClosed(Exception):
    """The client went away (or the simulator closed the connection)."""


class Bus(Protocol):
    """What a device session needs from the usbmuxd simulator."""

    workdir: Path

    def unplug(self, device: SimIphone, *, replug_after: float | None = None) -> None: ...

    def replace_socket(self, old: socket.socket, new: socket.socket) -> None: ...


class Channel:
    """A device-side connection: length-prefixed (big-endian) plists, optionally under TLS."""

    def __init__(self, sock: socket.socket, bus: Bus) -> None:
        self.sock = sock
        self.bus = bus

    def _recv_exact(self, size: int) -> bytes:
        chunks = bytearray()
        while len(chunks) < size:
            try:
                chunk = self.sock.recv(size - len(chunks))
            except (OSError, ValueError) as exc:
                raise ConnectionClosed() from exc
            if not chunk:
                raise ConnectionClosed()
            chunks.extend(chunk)
        return bytes(chunks)

    def read(self) -> dict[str, Any]:
        message = self.read_any()
        if not isinstance(message, dict):
            raise ConnectionClosed()
        return message

    def read_any(self) -> Any:
        """One message of any shape (DeviceLink speaks in arrays)."""
        (size,) = struct.unpack(">I", self._recv_exact(4))
        return plistlib.loads(self._recv_exact(size))

    def send_any(self, message: Any) -> None:
        payload = plistlib.dumps(message)
        self.send_raw(struct.pack(">I", len(payload)) + payload)

    def send_raw(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except (OSError, ValueError) as exc:
            raise ConnectionClosed() from exc

    def send(self, message: dict[str, Any]) -> None:
        self.send_any(message)

    def start_tls(self, context: ssl.SSLContext) -> None:
        try:
            wrapped = context.wrap_socket(self.sock, server_side=True)
        except (OSError, ValueError) as exc:
            raise ConnectionClosed() from exc
        self.bus.replace_socket(self.sock, wrapped)
        self.sock = wrapped

    def hang(self) -> None:
        """Read and drop whatever comes until the client (or the simulator) closes the connection."""
        while True:
            try:
                if not self.sock.recv(4096):
                    return
            except (OSError, ValueError):
                return


def apply_fault(channel: Channel, device: SimIphone, kind: FaultKind) -> None:
    """Play a fault instead of the answer. Every fault but GARBAGE ends the connection."""
    log.info("simulated %s: fault %s", device.udid, kind)
    if kind is FaultKind.GARBAGE:
        channel.send_raw(struct.pack(">I", len(GARBAGE)) + GARBAGE)
        return
    if kind is FaultKind.TRUNCATED:
        payload = plistlib.dumps({"Status": "Success", "Request": "truncated"})
        channel.send_raw(struct.pack(">I", len(payload)) + payload[: len(payload) // 2])
        raise ConnectionClosed()
    if kind is FaultKind.SILENT:
        channel.hang()
        raise ConnectionClosed()
    channel.bus.unplug(device)
    raise ConnectionClosed()


class DeviceSession:
    """lockdownd and its services for one connection to one device."""

    def __init__(self, device: SimIphone, channel: Channel, services: dict[int, str]) -> None:
        self.device = device
        self.channel = channel
        self.services = services  # port -> service name, shared by the device's connections
        self.in_session = False

    def serve(self, port: int) -> None:
        try:
            if port == LOCKDOWN_PORT:
                self._lockdown()
            elif self.services.get(port) == DIAGNOSTICS:
                self._service(self._diagnostics, secure=True)
            elif self.services.get(port) == MCINSTALL:
                self._service(self._mcinstall, secure=True)
            elif self.services.get(port) == MOBILEBACKUP2:
                self._mobilebackup2()
        except (ConnectionClosed, plistlib.InvalidFileException, ValueError):
            return

    def _think(self) -> None:
        if self.device.answer_delay > 0:
            time.sleep(self.device.answer_delay)  # a real device's answer time; sleeping releases the GIL

    # lockdownd ------------------------------------------------------------------------------------------------

    def _lockdown(self) -> None:
        while True:
            request = self.channel.read()
            name = str(request.get("Request", ""))
            domain = request.get("Domain")
            label = f"{name}:{domain}" if domain else name
            fault = self.device.fault_for(label)
            if fault is not None:
                apply_fault(self.channel, self.device, fault)
                continue
            self._think()
            answer, after = self._lockdown_answer(name, request)
            answer.setdefault("Request", name)
            self.channel.send(answer)
            if after is not None:
                after()

    def _lockdown_answer(self, name: str, request: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None] | None]:
        device = self.device
        if name == "QueryType":
            return {"Type": "com.apple.mobile.lockdown"}, None
        if name == "GetValue":
            return self._get_value(request), None
        if name == "StartSession":
            host_id = request.get("HostID")
            with device.lock:
                record = device.trusted_hosts.get(host_id) if isinstance(host_id, str) else None
            if record is None:
                return {"Error": "InvalidHostID"}, None
            self.in_session = True
            context = _server_context(record["DeviceCertificate"], self.channel.bus.workdir)
            return {"SessionID": new_session_id(), "EnableSessionSSL": True}, lambda: self.channel.start_tls(context)
        if name == "StopSession":
            self.in_session = False
            return {"Result": "Success"}, None
        if name == "Pair":
            return self._pair(request), None
        if name == "StartService":
            service = request.get("Service")
            if not self.in_session:
                return {"Error": "NoRunningSession"}, None
            if service not in SERVICES:
                return {"Error": "InvalidService"}, None
            if device.refuses_while_locked(str(service)) and not request.get("EscrowBag"):
                return {"Error": "PasswordProtected"}, None
            port = 49152 + len(self.services) + 1
            self.services[port] = str(service)
            return {"Port": port, "Service": service, "EnableServiceSSL": True}, None
        return {"Error": "UnsupportedRequest"}, None

    def _get_value(self, request: dict[str, Any]) -> dict[str, Any]:
        domain, key = request.get("Domain"), request.get("Key")
        device = self.device
        if domain:
            values = device.domain(str(domain)) if self.in_session else None
            if values is None:
                return {"Error": "MissingValue"}
        else:
            values = device.all_values() if self.in_session else device.public_values()
            if key == "DevicePublicKey":
                values = device.all_values()
        if key is None:
            return {"Value": values, **({"Domain": domain} if domain else {})}
        if key not in values:
            return {"Error": "MissingValue"}
        return {"Key": key, "Value": values[key], **({"Domain": domain} if domain else {})}

    def _pair(self, request: dict[str, Any]) -> dict[str, Any]:
        device = self.device
        state = device.pairing
        if state is PairingState.TRUST_PENDING:
            device.trust_dialog_shown.set()
            return {"Error": "PairingDialogResponsePending"}
        if state is PairingState.USER_DENIED:
            return {"Error": "UserDeniedPairing"}
        if state is PairingState.PASSCODE_LOCKED:
            return {"Error": "PasswordProtected"}
        record = request.get("PairRecord")
        if not isinstance(record, dict) or not isinstance(record.get("HostID"), str):
            return {"Error": "InvalidPairRecord"}
        device.trust(record["HostID"], dict(record))
        return {"EscrowBag": b"simulated-escrow-bag"}

    # services ------------------------------------------------------------------------------------------------

    def _service(
        self, answer: Callable[[dict[str, Any]], tuple[dict[str, Any], Callable[[], None] | None]], *, secure: bool
    ) -> None:
        if secure and not self._start_tls():
            return
        while True:
            request = self.channel.read()
            label = str(request.get("Request") or request.get("RequestType") or "")
            fault = self.device.fault_for(label)
            if fault is not None:
                apply_fault(self.channel, self.device, fault)
                continue
            self._think()
            reply, after = answer(request)
            self.channel.send(reply)
            if after is not None:
                after()
                return

    def _start_tls(self) -> bool:
        with self.device.lock:
            records = list(self.device.trusted_hosts.values())
        if not records:
            return False
        self.channel.start_tls(_server_context(records[-1]["DeviceCertificate"], self.channel.bus.workdir))
        return True

    def _mobilebackup2(self) -> None:
        """BackupAgent2 over DeviceLink: version exchange, then "Hello" and the process messages (EraseDevice).

        An accepted erase is never answered: the device drops the link as it starts erasing, as a real one does.
        """
        if not self._start_tls():
            return
        channel, device = self.channel, self.device
        channel.send_any(["DLMessageVersionExchange", *DL_VERSION])
        reply = channel.read_any()
        if not (isinstance(reply, list) and reply[:2] == ["DLMessageVersionExchange", "DLVersionsOk"]):
            return
        channel.send_any(["DLMessageDeviceReady"])
        while True:
            message = channel.read_any()
            if not isinstance(message, list) or not message or message[0] == "DLMessageDisconnect":
                return
            body = message[1] if len(message) > 1 and isinstance(message[1], dict) else {}
            name = str(body.get("MessageName", ""))
            fault = device.fault_for(name)
            if fault is not None:
                apply_fault(channel, device, fault)
                continue
            self._think()
            answer: dict[str, Any]
            if name == "Hello":
                versions = body.get("SupportedProtocolVersions") or []
                agreed = MB2_PROTOCOL_VERSION in versions
                answer = {"ErrorCode": 0, "ProtocolVersion": MB2_PROTOCOL_VERSION} if agreed else {"ErrorCode": 1}
            elif name == "EraseDevice":
                if device.fmip_associated:
                    answer = {"ErrorCode": MB_ERROR_FIND_MY, "ErrorDescription": MB_ERROR_FIND_MY_TEXT}
                else:
                    device.wipe()
                    channel.bus.unplug(device, replug_after=device.reboot_seconds)
                    raise ConnectionClosed()
            else:
                answer = {"ErrorCode": 1, "ErrorDescription": f"unsupported message {name!r}"}
            channel.send_any(["DLMessageProcessMessage", answer])

    def _diagnostics(self, request: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None] | None]:
        device = self.device
        name = request.get("Request")
        if name == "IORegistry":
            registry: dict[str, Any] = {}
            entry_class, entry_name = request.get("EntryClass"), request.get("EntryName")
            battery = device.battery
            by_class = entry_class == "IOPMPowerSource" and device.power_source_class
            if battery is not None and (by_class or entry_name == device.battery_entry):
                registry = dict(battery)
            return {"Status": "Success", "Diagnostics": {"IORegistry": registry}}, None
        if name == "Restart":

            def restart() -> None:
                device.restarted += 1
                self.channel.bus.unplug(device, replug_after=device.reboot_seconds)

            return {"Status": "Success"}, restart
        if name == "Shutdown":

            def shutdown() -> None:
                device.shut_down = True
                self.channel.bus.unplug(device)

            return {"Status": "Success"}, shutdown
        if name == "Goodbye":
            return {"Status": "Success"}, None
        return {"Status": "UnknownRequest"}, None

    def _mcinstall(self, request: dict[str, Any]) -> tuple[dict[str, Any], Callable[[], None] | None]:
        device = self.device
        kind = request.get("RequestType")
        if kind == "HelloHostIdentifier":
            return {"Status": "Acknowledged"}, None
        if kind == "GetCloudConfiguration":
            return {"Status": "Acknowledged", "CloudConfiguration": dict(device.cloud_configuration)}, None
        if kind == "EraseDevice" and not device.mcinstall_erase:
            chain = [{"ErrorCode": 1, "LocalizedDescription": "the device refused EraseDevice"}]  # a generic refusal
            return {"Status": "Error", "ErrorChain": chain}, None
        if kind == "EraseDevice":

            def erase() -> None:
                device.wipe()
                self.channel.bus.unplug(device, replug_after=device.reboot_seconds)

            return {"Status": "Acknowledged"}, erase
        return {"Status": "Error", "ErrorChain": [{"ErrorCode": 1, "LocalizedDescription": "unsupported"}]}, None


_contexts: dict[bytes, ssl.SSLContext] = {}


def _server_context(device_certificate: bytes, workdir: Path) -> ssl.SSLContext:
    context = _contexts.get(device_certificate)
    if context is None:
        context = _contexts[device_certificate] = server_context(device_certificate, workdir)
    return context
