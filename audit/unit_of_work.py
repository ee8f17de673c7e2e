"""A unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
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
        try:
            self.session.rollback()
        finally:
            self.session.close()
        if isinstance(exc, StaleDataError):
            # A flush before the commit (the audit chain flushes each event it appends) met a row another station
            # changed since this unit of work read it: the same conflict as at commit, told the same way.
            raise self._conflict() from exc
        if isinstance(exc, IntegrityError):
            # Two stations passed the same check and inserted the same unique row (a second certificate for one
            # erasure...): the database kept one. If a device this unit of work read has moved on, that is the
            # story to tell; any other integrity error is a bug and stays as it is.
            changed = self._changed_device()
            if changed is not None:
                raise changed from exc

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
        changed = self._changed_device()
        if changed is not None:
            return changed
        return ConcurrentUpdate("the record was changed by someone else while you worked on it: reload and try again")

    def _changed_device(self) -> ConcurrentUpdate | None:
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
        return None
