"""The lots screen's work for the pool: plain functions of the station, values out, no Qt."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from app.gui.lots.export import write_reconciliation_csv
from app.station import Station
from audit import queries
from audit.errors import InvalidInput
from audit.services.lots import ScanResult, import_lot_csv, scan_into_lot

MAX_FILE_BYTES = 5_000_000


def list_lots(station: Station) -> tuple[queries.LotBrief, ...]:
    with station.uow() as uow:
        return queries.recent_lots(uow)


def import_lot_file(
    station: Station, actor: str, path: str | Path, *, reference: str, partner: str, quoted_on: date
) -> str:
    """Receive the lot in the partner's CSV file; returns its reference. Nothing is imported if a line is bad."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(f"{path.name} is larger than {MAX_FILE_BYTES // 1_000_000} MB: not a lot file")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    with station.uow() as uow:
        import_lot_csv(uow, actor, data, reference=reference, partner=partner, quoted_on=quoted_on)
    return reference.strip()


def lot_summary(station: Station, reference: str) -> queries.LotSummary:
    with station.uow() as uow:
        return queries.lot_summary(uow, reference)


def scan(station: Station, actor: str, reference: str, text: str) -> ScanResult:
    with station.uow() as uow:
        return scan_into_lot(uow, actor, reference, text)


def pdf_report_available() -> bool:
    """Whether the lot report (reports.lot_report, with its data in audit.documents) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("reports.lot_report", "audit.documents"))


def export_lot(station: Station, reference: str, path: str | Path) -> Path:
    """The lot report as a PDF (``.pdf``, when reports.lot_report is there), else the reconciliation as CSV."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        if not pdf_report_available():
            raise InvalidInput("the PDF lot report is not installed here: export as CSV instead")
        from audit.documents import lot_report_data
        from reports.lot_report import render_lot_report

        with station.uow() as uow:
            data = lot_report_data(uow, reference)
        render_lot_report(data, path)
        return path
    with station.uow() as uow:
        summary = queries.lot_summary(uow, reference)
    try:
        path.write_text(write_reconciliation_csv(summary), encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
