"""The adbutils client as the station uses it: never starts an adb server, bounded timeouts, errors translated.

adbutils' ``AdbConnection`` runs ``adb start-server`` (its bundled binary) whenever the server does not answer; on a
bench that would start a second server fighting the real one for the phones, and in tests a real server. The
station's connection only connects: a missing server is :class:`AdbServerMissing`, which says what to do.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from adbutils import AdbClient, AdbConnection
from adbutils.errors import AdbConnectionError, AdbError, AdbTimeout

from drivers.android.errors import (
    AdbProtocolError,
    AdbServerMissing,
    AndroidError,
    CommandTimeout,
    DeviceGone,
    DeviceNotFound,
    DeviceNotReady,
)

T = TypeVar("T")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5037
HOST_ENV = "ANDROID_ADB_SERVER_HOST"
PORT_ENV = "ANDROID_ADB_SERVER_PORT"
CONNECT_TIMEOUT = 3.0  # adbutils' own figure: a loopback server that takes longer is not there
DEFAULT_TIMEOUT = 10.0  # seconds for any one adb exchange: a phone that takes longer is reported, not waited for


def server_address(host: str | None = None, port: int | None = None) -> tuple[str, int]:
    """Where the adb server is: the arguments, else ANDROID_ADB_SERVER_HOST / _PORT, else 127.0.0.1:5037."""
    chosen_host = host or os.environ.get(HOST_ENV) or DEFAULT_HOST
    if port is None:
        text = os.environ.get(PORT_ENV, "").strip()
        if text and not text.isdigit():
            raise AdbServerMissing(f"{PORT_ENV}={text!r} is not a port number")
        port = int(text) if text else DEFAULT_PORT
    return chosen_host, port


class _ConnectOnly(AdbConnection):  # type: ignore[misc]  # adbutils ships no type hints
    """adbutils' connection without its fallback (``adb start-server``), and without leaking the socket when the
    connection fails (adbutils' ``_create_socket`` leaves it to the garbage collector)."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        super().__init__(host, port)

    def _safe_connect(self) -> socket.socket:
        try:
            sock = socket.create_connection(self._target, timeout=CONNECT_TIMEOUT)  # closes itself on failure
        except TimeoutError as exc:
            raise AdbTimeout("connect to adb server timeout") from exc
        except OSError as exc:
            raise AdbConnectionError(f"connect to adb server failed: {exc}") from exc
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.settimeout(None)
        return sock


class StationAdbClient(AdbClient):  # type: ignore[misc]
    """An ``AdbClient`` whose connections never start a server and never wait longer than ``max_timeout``."""

    def __init__(self, host: str, port: int, *, max_timeout: float) -> None:
        super().__init__(host=host, port=port)
        self.max_timeout = max_timeout
        self._version: int | None = None
        self._version_lock = threading.Lock()
        self._opened = threading.local()

    def make_connection(self, timeout: float | None = None) -> AdbConnection:
        limit = self.max_timeout if timeout is None else min(timeout, self.max_timeout)
        connection = _ConnectOnly(self.host, self.port)
        connection.conn.settimeout(limit)
        opened: list[AdbConnection] | None = getattr(self._opened, "connections", None)
        if opened is not None:
            opened.append(connection)
        return connection

    def call(self, what: Callable[[], T]) -> T:
        """Run one adbutils call; if it fails, close the connections it opened (adbutils leaves a connection open
        when the server answers FAIL to a transport request)."""
        outer: list[AdbConnection] | None = getattr(self._opened, "connections", None)
        self._opened.connections = []
        try:
            return what()
        except BaseException:
            for connection in self._opened.connections:
                with contextlib.suppress(Exception):
                    connection.close()
            raise
        finally:
            self._opened.connections = outer

    def server_version(self) -> int:
        """The server's version, asked once per client (adbutils asks before every transport switch)."""
        with self._version_lock:
            if self._version is None:
                self._version = int(super().server_version())
            return self._version


def _describe_server(host: str, port: int) -> str:
    return (
        f"no adb server answers on {host}:{port}: start it (adb start-server) or the simulated bench, "
        f"and point {PORT_ENV} at it"
    )


def translate(exc: BaseException, *, serial: str | None, address: tuple[str, int], raw: str = "") -> AndroidError:
    """The driver error for what adbutils (or the socket under it) raised."""
    if isinstance(exc, AndroidError):
        return exc
    message = str(exc.args[0]) if getattr(exc, "args", None) else str(exc)
    if isinstance(exc, AdbConnectionError) or (isinstance(exc, AdbTimeout) and "connect to adb server" in message):
        return AdbServerMissing(_describe_server(*address), raw=message)
    if isinstance(exc, AdbTimeout | TimeoutError):
        return CommandTimeout(f"no answer in time ({raw or 'adb'}); the command was abandoned", serial=serial, raw=raw)
    if isinstance(exc, AdbError):
        lowered = message.lower()
        if "not found" in lowered and "device" in lowered:
            return DeviceNotFound("the adb server does not see this phone (unplugged?)", serial=serial, raw=message)
        for state in ("unauthorized", "offline", "authorizing", "connecting", "sideload", "bootloader"):
            if f"device {state}" in lowered or f"device still {state}" in lowered or f"in {state} mode" in lowered:
                return DeviceNotReady(f"the phone is {state}", serial=serial, raw=message, state=state)
        if "insufficient permissions" in lowered:
            return DeviceNotReady("no USB permission", serial=serial, raw=message, state="no permissions")
        if "shell output invalid" in lowered or "connection closed" in lowered or lowered.startswith("closed"):
            return DeviceGone("the phone went away during the command", serial=serial, raw=_raw_of(exc, raw))
        if "unknown data" in lowered:
            return AdbProtocolError("the adb server answered outside its protocol", serial=serial, raw=message)
        return AndroidError(f"adb refused: {message}", serial=serial, raw=message)
    if isinstance(exc, EOFError | ConnectionError):
        return DeviceGone("the phone went away during the command", serial=serial, raw=raw or message)
    if isinstance(exc, OSError):
        return DeviceGone(f"the connection to the phone failed: {exc}", serial=serial, raw=raw)
    if isinstance(exc, ValueError):
        return AdbProtocolError(f"unreadable answer from adb: {message}", serial=serial, raw=raw)
    return AndroidError(f"unexpected adb failure: {exc!r}", serial=serial, raw=raw)


def _raw_of(exc: BaseException, fallback: str) -> str:
    parts: list[Any] = list(getattr(exc, "args", ()))
    for part in parts[1:]:
        if isinstance(part, bytes):
            return part.decode("utf-8", errors="replace")
    return fallback
