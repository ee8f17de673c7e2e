"""Document read models built as plain values, for renderer tests and benchmarks that need hundreds of lines."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

from audit.documents import LabelData, LotLine, LotReportData

_MODELS = (("iPhone 12", 128), ("iPhone 13", 256), ("Galaxy S21", 128), ("Pixel 7", 128), ("iPhone 11", 64))
_GRADES = ("premium", "excellent", "very_good", "good", "fair")


def lot_line(number: int, rng: random.Random) -> LotLine:
    model, storage = rng.choice(_MODELS)
    declared = rng.choice(_GRADES[1:4])
    quoted = Decimal(rng.randrange(120, 520)).quantize(Decimal("0.01"))
    roll = rng.random()
    if roll < 0.06:
        return LotLine(
            number, model, storage, declared, f"35693803{number:07d}", quoted, "EUR", "refused", None,
            ("iCloud Activation Lock / Find My is on: cannot be valued; return to the partner",),
            model, storage, None, None, 93.0, "sellable", "locked", "functional",
        )  # fmt: skip
    if roll < 0.10:
        return LotLine(
            number, model, storage, declared, None, quoted, "EUR", "pending", None, (),
            None, None, None, None, None, None, None, None,
        )  # fmt: skip
    soh = round(rng.uniform(72, 100), 1)
    grade = rng.choice(_GRADES)
    battery = "sellable" if soh >= 85 else ("replace" if soh >= 80 else "worn")
    same = grade == declared and battery == "sellable"
    adjusted = quoted if same else (quoted * Decimal("0.85")).quantize(Decimal("0.01"))
    reasons = () if same else (f"graded {grade}, declared {declared}: -10 %", f"battery {battery}: -5 %")
    return LotLine(
        number, model, storage, declared, f"35693803{number:07d}", quoted, "EUR",
        "match" if same else "adjusted", adjusted, reasons,
        model, storage, grade, True, soh, battery, "clear", "functional",
    )  # fmt: skip


def lot_report(lines: int = 500, seed: int = 6) -> LotReportData:
    rng = random.Random(seed)
    return LotReportData(
        reference="LOT-BENCH-500",
        partner="Reprise Société Générale d'Électronique",
        channel="backmarket_pro",
        channel_label="Back Market Pro",
        quoted_on=date(2026, 11, 2),
        received_at=datetime(2026, 11, 5, 9, 30, tzinfo=UTC),
        received_by="wendy",
        generated_at=datetime(2026, 11, 21, 14, 0, tzinfo=UTC),
        lines=tuple(lot_line(n, rng) for n in range(1, lines + 1)),
        sellable_min_soh=85.0,
        worn_below_soh=80.0,
    )


def label(**changes: object) -> LabelData:
    values: dict[str, object] = {
        "device_id": 42,
        "make": "Apple",
        "model": "iPhone 12",
        "storage_gb": 128,
        "colour": "Bleu",
        "grade": "very_good",
        "ctia": "B",
        "battery_percent": 91.0,
        "imei": "356938035643809",
        "serial": "F2LXK0ABHG7F",
        "lot": "LOT-2026-042 #1",
    }
    values.update(changes)
    return LabelData(**values)  # type: ignore[arg-type]
