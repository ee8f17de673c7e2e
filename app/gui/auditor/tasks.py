"""The auditor desk's work for the pool: plain functions of the station, values out, no Qt."""

from __future__ import annotations

from datetime import date

from app.station import Station
from audit import queries, services
from audit.history import DeviceHistory, device_history
from audit.queries import DeviceFilter, DeviceRow, Page, PageRequest, QcSelection


def search(station: Station, filters: DeviceFilter, page: PageRequest) -> Page[DeviceRow]:
    with station.uow() as uow:
        return queries.search_devices(uow, filters, page)


def history(station: Station, device_id: int) -> DeviceHistory:
    with station.uow() as uow:
        return device_history(uow, services.find_device(uow, f"#{device_id}"))


def approve(station: Station, actor: str, device_id: int, reason: str) -> DeviceHistory:
    with station.uow() as uow:
        services.approve(uow, actor, device_id, reason)
    return history(station, device_id)


def approve_and_list(station: Station, actor: str, device_id: int, reason: str) -> DeviceHistory:
    """Approve and queue the Back Market listing in one transaction (a refused listing refuses both)."""
    with station.uow() as uow:
        services.approve(uow, actor, device_id, reason, list_on="backmarket")
    return history(station, device_id)


def reject(station: Station, actor: str, device_id: int, reason: str) -> DeviceHistory:
    with station.uow() as uow:
        services.reject(uow, actor, device_id, reason)
    return history(station, device_id)


def qc_sample(station: Station, auditor: str, start: date, end: date) -> QcSelection:
    with station.uow() as uow:
        return queries.erasure_qc_candidates(uow, auditor, start=start, end=end)


def technicians(station: Station) -> tuple[str, ...]:
    """People whose inspections an auditor may look for."""
    with station.uow() as uow:
        users = services.list_users(uow, active_only=False)
    return tuple(user.name for user in users if user.role.value in ("technician", "admin"))
