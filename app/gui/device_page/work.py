"""What the device page hands to the pool: plain functions of the station, values in and out, no Qt.

Each opens its own unit of work, so any pool thread may run it. Every write goes through ``audit.services``.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Callable
from pathlib import Path

from app.gui.device_page.eraser import Eraser, EraseTarget, ErasureRun, Progress
from app.station import Station
from audit import documents, services
from audit.errors import InvalidInput, NotFound
from audit.history import DeviceHistory, device_history
from audit.readings import CosmeticDefect, DeviceFamily, FunctionalResult, LockKind, LockState
from audit.rules.grading import GradeDecision

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class PageData:
    """Everything the page shows, read in one unit of work."""

    history: DeviceHistory
    target: EraseTarget
    report: documents.DeviceReportData | None  # None: never inspected
    photos: tuple[services.PhotoInfo, ...]

    @property
    def family(self) -> DeviceFamily:
        return self.target.family

    @property
    def open_inspection(self) -> int | None:
        report = self.report
        return report.inspection_id if report is not None and report.inspection_status == "open" else None


def load_page(station: Station, device_id: int) -> PageData:
    with station.uow() as uow:
        device = services.find_device(uow, f"#{device_id}")
        history = device_history(uow, device)
        try:
            report = documents.device_report_data(uow, device)
        except NotFound:
            report = None
        target = EraseTarget(
            device_id=device.id,
            family=DeviceFamily(device.family),
            label=device.label,
            hardware_id=device.hardware_id,
            serial=device.serial,
            storage_bytes=device.storage_bytes,
        )
        return PageData(history, target, report, tuple(services.list_photos(uow, device.id)))


def set_colour(station: Station, actor: str, device_id: int, colour: str, expected_version: int) -> None:
    with station.uow() as uow:
        services.set_colour(uow, actor, device_id, colour, expected_version=expected_version)


def start_inspection(station: Station, actor: str, device_id: int) -> int:
    with station.uow() as uow:
        return services.start_inspection(uow, actor, device_id, station=station.name)


def record(station: Station, actor: str, inspection_id: int, reading: FunctionalResult | CosmeticDefect) -> int:
    with station.uow() as uow:
        return services.record_reading(uow, actor, inspection_id, reading)


def check_lock(
    station: Station, actor: str, inspection_id: int, kind: LockKind, state: LockState, note: str
) -> LockKind:
    with station.uow() as uow:
        services.record_lock_check(uow, actor, inspection_id, kind, state, note)
    return kind


def finish(station: Station, actor: str, inspection_id: int) -> services.InspectionOutcome:
    with station.uow() as uow:
        return services.finish_inspection(uow, actor, inspection_id)


def grade(
    station: Station, actor: str, device_id: int, genuine_parts: bool | None, expected_version: int
) -> GradeDecision:
    with station.uow() as uow:
        return services.grade_device(
            uow, actor, device_id, genuine_parts=genuine_parts, expected_version=expected_version
        )


def attach_photos(station: Station, actor: str, device_id: int, paths: tuple[Path, ...], view: str) -> list[str]:
    """Attach each file; returns one line per file that was refused (the others are recorded)."""
    refused: list[str] = []
    for path in paths:
        with station.uow() as uow:
            try:
                services.attach_photo(uow, actor, device_id, path, view, station.data_dir)
            except InvalidInput as exc:  # one bad file in a camera folder must not stop the others
                refused.append(f"{path.name}: {exc}")
    return refused


@dataclasses.dataclass(frozen=True, slots=True)
class ErasureDone:
    run: ErasureRun
    erasure_id: int
    certificate_id: str | None  # None when the erasure failed: a failed erasure is recorded, never certified


def erase_and_certify(
    station: Station, actor: str, eraser: Eraser, target: EraseTarget, progress: Progress
) -> ErasureDone:
    run = eraser.start(target, progress)
    with station.uow() as uow:
        erasure_id = services.record_erasure(uow, actor, target.device_id, run.outcome, report=run.report)
    if not run.outcome.succeeded:
        return ErasureDone(run, erasure_id, None)
    return ErasureDone(run, erasure_id, certify(station, actor, target.device_id))


def certify(station: Station, actor: str, device_id: int) -> str:
    with station.uow() as uow:
        return services.issue_certificate(uow, actor, device_id, station.signer(), station=station.name)


# --- documents: the renderers are looked up when asked for, so the page works (without previews) where they are not


def _renderer(module: str, name: str) -> Callable[..., bytes] | None:
    try:
        imported = __import__(module, fromlist=[name])
    except ImportError:
        log.warning("%s is not available: no preview", module)
        return None
    found = getattr(imported, name, None)
    return found if callable(found) else None


def device_report_pdf(station: Station, device_id: int, lang: str = "en") -> bytes | None:
    render = _renderer("reports.device_report", "render_device_report")
    if render is None:
        return None
    with station.uow() as uow:
        data = documents.device_report_data(uow, services.find_device(uow, f"#{device_id}"))
    return render(data, io.BytesIO(), lang=lang)


def label_pdf(station: Station, device_id: int, lang: str = "en") -> bytes | None:
    render = _renderer("reports.labels", "render_labels")
    if render is None:
        return None
    with station.uow() as uow:
        data = documents.label_data(uow, services.find_device(uow, f"#{device_id}"))
    return render([data], io.BytesIO(), lang=lang)


def print_label(station: Station, device_id: int, printer: str, lang: str = "en") -> str:
    """Send the device's label (ZPL) to ``printer`` (tcp://, serial:, file:); returns what was sent where."""
    from drivers.printers.label_printer import send_label
    from reports.labels import zpl_labels

    with station.uow() as uow:
        data = documents.label_data(uow, services.find_device(uow, f"#{device_id}"))
    payload = zpl_labels([data], lang=lang)
    send_label(printer, payload)
    return f"label {data.barcode_value} sent to {printer}"
