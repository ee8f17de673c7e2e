"""The lot's reconciliation as CSV, for a spreadsheet (the PDF lot report lives in reports/lot_report.py)."""

from __future__ import annotations

import csv
import io

from audit.queries import LotSummary

HEADER = (
    "line",
    "declared model",
    "declared storage GB",
    "declared grade",
    "declared IMEI/serial",
    "quoted price",
    "currency",
    "device",
    "status",
    "adjusted price",
    "reasons",
)


def write_reconciliation_csv(summary: LotSummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in summary.lines:
        writer.writerow(
            (
                line.line_no,
                line.declared_model,
                "" if line.declared_storage_gb is None else line.declared_storage_gb,
                line.declared_grade,
                line.declared_identifier or "",
                f"{line.quoted_price:.2f}",
                line.currency,
                line.device or "",
                line.status,
                "" if line.adjusted_price is None else f"{line.adjusted_price:.2f}",
                " | ".join(line.reasons),
            )
        )
    writer.writerow(())
    writer.writerow(("lot", summary.reference, "partner", summary.partner, "quoted on", summary.quoted_on.isoformat()))
    writer.writerow(("quoted total", f"{summary.quoted_total:.2f}", summary.currency))
    writer.writerow(("counter-offer total", f"{summary.counter_offer_total:.2f}", summary.currency))
    return out.getvalue()
