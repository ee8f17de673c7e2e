"""The bench's one way into the records: the audit services, one bench writer at a time.

Every supervisor of this station writes through one :class:`Records`, under one lock. The lock also makes "was this
device unplugged?" and "write its reading" a single step: a supervisor whose device is gone never writes again, and
the coordinator marks the inspection interrupted after the last reading that made it in, never before.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import TypeVar

from audit import services
from audit.errors import NotFound, Refused
from audit.readings import BatteryReading, DeviceIdentity, FunctionalResult, LockStatus
from audit.unit_of_work import UnitOfWork

T = TypeVar("T")

Reading = DeviceIdentity | BatteryReading | LockStatus | FunctionalResult


class Stopped(Exception):
    """The supervisor was stopped (its device unplugged): nothing more is written for it."""


@dataclasses.dataclass
class Pass:
    """One supervisor's hold on the records: whether it was stopped, and the inspection it opened (set under the
    lock, so that the coordinator's interruption always sees it)."""

    stopped: threading.Event = dataclasses.field(default_factory=threading.Event)
    inspection_id: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceRecord:
    device_id: int
    state: str
    reason: str


class Records:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], *, station: str, actor: str = "", channel: str | None = None
    ) -> None:
        self._uow = uow_factory
        self.station = station
        self.actor = actor  # who the readings are recorded as: the person signed in at the station
        self.channel = channel
        self._lock = threading.Lock()

    def _write(self, holder: Pass | None, work: Callable[[UnitOfWork], T]) -> T:
        with self._lock:
            if holder is not None and holder.stopped.is_set():
                raise Stopped
            with self._uow() as uow:
                return work(uow)

    @staticmethod
    def _record_of(uow: UnitOfWork, device_id: int) -> DeviceRecord:
        device = services.find_device(uow, f"#{device_id}")
        return DeviceRecord(device.id, device.state, device.state_reason or "")

    def known(self, identity: DeviceIdentity) -> DeviceRecord | None:
        """The record this device already has (by IMEI, then serial), or None for a device never seen."""

        def find(uow: UnitOfWork) -> DeviceRecord | None:
            for identifier in (*identity.imeis, identity.serial):
                if not identifier:
                    continue
                try:
                    device = services.find_device(uow, identifier)
                except NotFound:
                    continue
                return DeviceRecord(device.id, device.state, device.state_reason or "")
            return None

        return self._write(None, find)

    def register(self, identity: DeviceIdentity, holder: Pass | None = None) -> DeviceRecord:
        def register(uow: UnitOfWork) -> DeviceRecord:
            device_id = services.register_device(uow, self.actor, identity)
            return self._record_of(uow, device_id)

        return self._write(holder, register)

    def start_inspection(self, device_id: int, holder: Pass) -> int:
        """Open the device's inspection, or resume its interrupted one."""

        def start(uow: UnitOfWork) -> int:
            inspection_id = services.start_inspection(
                uow, self.actor, device_id, station=self.station, channel=self.channel
            )
            holder.inspection_id = inspection_id
            return inspection_id

        return self._write(holder, start)

    def record(self, holder: Pass, device_id: int, reading: Reading) -> DeviceRecord:
        """Add a reading to the open inspection; returns the device's record after it (a lock quarantines)."""

        def record(uow: UnitOfWork) -> DeviceRecord:
            if holder.inspection_id is None:
                raise Stopped
            services.record_reading(uow, self.actor, holder.inspection_id, reading)
            return self._record_of(uow, device_id)

        return self._write(holder, record)

    def interrupt(self, holder: Pass, reason: str) -> int | None:
        """Stop the pass and mark its inspection interrupted if it is still open; returns that inspection's id."""
        holder.stopped.set()

        def interrupt(uow: UnitOfWork) -> int | None:
            if holder.inspection_id is None:
                return None
            try:
                services.interrupt_inspection(uow, self.actor, holder.inspection_id, reason)
            except Refused:
                return None  # completed (e.g. quarantined by a lock) or already interrupted
            return holder.inspection_id

        return self._write(None, interrupt)
