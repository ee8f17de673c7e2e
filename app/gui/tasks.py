"""The work the window hands to the pool: plain functions of the station, no Qt, values out.

Each one opens its own unit of work, so it is safe to run on any pool thread.
"""

from __future__ import annotations

import dataclasses

from app.station import Station
from audit import services
from audit.chain import ChainReport
from audit.history import DeviceHistory, device_history
from audit.rules.identifiers import classify_identifier


@dataclasses.dataclass(frozen=True, slots=True)
class Person:
    """Someone who may sign in at this station."""

    name: str
    role: str


def active_users(station: Station) -> tuple[Person, ...]:
    with station.uow() as uow:
        return tuple(Person(user.name, user.role.value) for user in services.list_users(uow))


def look_up_device(station: Station, text: str) -> DeviceHistory:
    """The history of the device a typed or scanned identifier names.

    Raises ``IdentifierError`` for text that cannot be an IMEI or serial, ``NotFound`` for an unknown one.
    """
    text = text.strip()
    identifier = text if text.startswith("#") else classify_identifier(text)[1]
    with station.uow() as uow:
        return device_history(uow, services.find_device(uow, identifier))


def verify_chain(station: Station) -> ChainReport:
    with station.uow() as uow:
        return services.verify_chain(uow)
