"""One adb server and the phones it sees: the transport and factory of the Android driver.

Everything goes through adbutils (the real client) with :mod:`drivers.android.client`'s guards: no adb server is ever
started, every wait is bounded, and every failure is an :class:`~drivers.android.errors.AndroidError` naming the
phone. One phone's fault never touches another: each command has its own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from drivers.android.client import DEFAULT_TIMEOUT, StationAdbClient, server_address, translate
from drivers.android.discovery import AttachedDevice, BenchEvent, DeviceTracker, attached_devices
from drivers.android.errors import AndroidError
from drivers.android.modem import ModemLocator
from drivers.android.phone import AndroidInspection, AndroidPhone


class AndroidBench:
    """One adb server and the phones it sees. Nothing connects until a method is called."""

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        modems: ModemLocator | None = None,
    ) -> None:
        self.address = server_address(host, port)
        self.timeout = timeout
        self.client = StationAdbClient(*self.address, max_timeout=timeout)
        # Samsung modem ports, for phones adb cannot read (REFURB_SAMSUNG_MODEMS, then USB): see drivers.android.modem
        self.modems = modems if modems is not None else ModemLocator.from_environment()

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
        return attached_devices(self._call(lambda: self.client.list(extended=True), raw="host:devices-l"))

    def phone(self, serial: str, *, timeout: float | None = None) -> AndroidPhone:
        return AndroidPhone(self, serial, timeout=timeout or self.timeout)

    def track(self, on_event: Callable[[BenchEvent], None] | None = None) -> DeviceTracker:
        """Follow attach / detach / state changes (``host:track-devices``) on a thread; close it when done."""
        return DeviceTracker(self, on_event)


def iter_inspections(bench: AndroidBench, serials: Iterable[str], workers: int = 16) -> list[AndroidInspection]:
    """Inspect several phones at once (one worker thread each, up to ``workers``); a phone's failure stays its own."""

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
