"""Figures for the documents (run with `make bench`; printed, never asserted against time).

Targets (issue #6): one device report under 150 ms, a 500-device lot report under 5 s, on this machine.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from audit import db, services
from audit.documents import certificate_data, device_report_data, lot_report_data
from audit.models import Device
from audit.unit_of_work import UnitOfWork
from reports.certificate import render_certificate
from reports.device_report import render_device_report
from reports.labels import render_labels, zpl_label
from reports.lot_report import render_lot_report
from tests.benchmarks.figures import Recorder
from tests.reports.conftest import build_bench
from tests.reports.factories import label, lot_report


def _best_of(runs: int, action: Callable[[], Any]) -> float:
    """The best of a few runs: the figure the machine can do, not the noise of its neighbours."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def _print(title: str, figures: list[tuple[str, float, float | None]]) -> None:
    print(f"\n{title}")
    print(f"  {'benchmark':<48} {'figure':>10}  {'target':>10}  ratio")
    for name, ms, target in figures:
        ratio = f"{ms / target:5.2f}" if target else "    -"
        target_text = f"{target:>8,.0f}ms" if target else f"{'-':>10}"
        print(f"  {name:<48} {ms:>8,.1f}ms  {target_text}  {ratio}")


def test_document_figures(sqlite_url: str, tmp_path: Path, record: Recorder) -> None:
    engine = db.create_engine_for(sqlite_url)
    sessions = db.session_factory(engine)

    def factory() -> UnitOfWork:
        return UnitOfWork(sessions)

    bench = build_bench(factory, tmp_path / "key.pem")
    with factory() as uow:
        services.receive_lot(
            uow,
            "wendy",
            reference="LOT-500",
            partner="Partner",
            quoted_on=date.today(),
            lines=[services.DeclaredLine("iPhone 12", 128, "good", "200.00") for _ in range(500)],
        )

    def device_report() -> None:
        with factory() as uow:
            data = device_report_data(uow, uow.session.get(Device, bench.device_id))
        render_device_report(data, io.BytesIO(), lang="fr")

    def lot_read() -> None:
        with factory() as uow:
            lot_report_data(uow, "LOT-500")

    synthetic = lot_report(500)

    def lot_500() -> None:
        lot_read()
        render_lot_report(synthetic, io.BytesIO(), lang="fr")

    def certificate() -> None:
        with factory() as uow:
            data = certificate_data(uow, bench.certificate_id, public_key_pem=bench.signer.public_pem())
        render_certificate(data, io.BytesIO())

    device_report()  # fonts registered, styles built: the station prints many reports per process
    figures = [
        ("device report (read + render, fr)", 1000 * _best_of(5, device_report), 150.0),
        ("lot report, 500 devices (read + render, fr)", 1000 * _best_of(2, lot_500), 5000.0),
        ("  of which reading 500 lot lines (not audited)", 1000 * _best_of(3, lot_read), None),
        ("erasure certificate (read + render, QR of the payload)", 1000 * _best_of(3, certificate), None),
        ("label 62x29 PDF", 1000 * _best_of(5, lambda: render_labels([label()], io.BytesIO())), None),
        ("label ZPL", 1000 * _best_of(5, lambda: zpl_label(label())), None),
    ]
    engine.dispose()
    _print("documents (best of a few runs)", figures)
    for name, ms, target in figures:
        record(name.strip(), ms, "ms", target)
