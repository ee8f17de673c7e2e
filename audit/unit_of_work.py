"""A unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from audit.errors import ConcurrentUpdate
from audit.models import Device


class UnitOfWork:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._touched_devices: dict[int, int] = {}

    def __enter__(self) -> Self:
        self.session = self._factory()
        self._touched_devices = {}
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.rollback()
        self.session.close()

    def touch(self, device: Device) -> None:
        """Remember the version a device had when this unit of work read it, to name the winner on conflict."""
        self._touched_devices.setdefault(device.id, device.version_id)

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as exc:
            self.session.rollback()
            raise self._conflict() from exc

    def _conflict(self) -> ConcurrentUpdate:
        with self._factory() as fresh:
            for device_id, seen_version in self._touched_devices.items():
                row = fresh.execute(
                    sa.select(Device.version_id, Device.updated_by, Device.updated_at).where(Device.id == device_id)
                ).one_or_none()
                if row is not None and row.version_id != seen_version:
                    return ConcurrentUpdate(
                        f"device #{device_id} was changed by {row.updated_by} at "
                        f"{row.updated_at:%Y-%m-%d %H:%M:%S} UTC while you worked on it: reload and try again"
                    )
        return ConcurrentUpdate("the record was changed by someone else while you worked on it: reload and try again")
