"""The device audit report: one inspection of one device, the "certified history" a buyer or an auditor reads."""

from __future__ import annotations

import json
import math

from PIL import Image as PILImage
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from audit.documents import BatteryLine, DeviceReportData
from reports._layout import (
    BAD,
    BAND,
    GOOD,
    INK,
    MUTED,
    RULE,
    WARN,
    Output,
    build_pdf,
    escape,
    grid_table,
    kv_table,
    para,
    qr_drawing,
    styles,
)
from reports.fonts import REGULAR
from reports.i18n import Locale

QR_FORMAT = "refurb-station/device-report/1"


def report_qr_value(data: DeviceReportData) -> str:
    """What the report's QR code says: enough to find the report again and check that it was not altered."""
    return f"{QR_FORMAT};id={data.report_id};sha256={data.digest}"


def report_filename(data: DeviceReportData) -> str:
    return f"report_{data.report_id}.pdf"


_VERDICT_COLOURS = {"sellable": GOOD, "replace": WARN, "worn": BAD}


def battery_bar(battery: BatteryLine, loc: Locale, width: float = 110 * mm) -> Drawing:
    """SoH as a bar on a 0-100 % scale, with the channel's sellable minimum drawn across it."""
    height = 13 * mm
    bar_y, bar_h = 4 * mm, 4.5 * mm
    drawing = Drawing(width, height, initialFontName=REGULAR)
    drawing.add(Rect(0, bar_y, width, bar_h, fillColor=BAND, strokeColor=RULE, strokeWidth=0.5))
    if battery.soh_percent is not None:
        filled = width * min(battery.soh_percent, 100.0) / 100.0
        colour = _VERDICT_COLOURS.get(battery.verdict, MUTED)
        drawing.add(Rect(0, bar_y, filled, bar_h, fillColor=colour, strokeColor=None))
    thresholds = ((battery.worn_below_soh, [2, 1.5], "end"), (battery.sellable_min_soh, None, "start"))
    for threshold, dash, anchor in thresholds:
        x = width * threshold / 100.0
        line = Line(x, bar_y - 1 * mm, x, bar_y + bar_h + 1 * mm, strokeColor=INK, strokeWidth=1)
        if dash:
            line.strokeDashArray = dash
        drawing.add(line)
        label = String(
            x + (1 * mm if anchor == "start" else -1 * mm),
            bar_y + bar_h + 1.4 * mm,
            loc.percent(threshold, 0),
            fontName=REGULAR,
            fontSize=6.5,
            fillColor=INK,
        )
        label.textAnchor = anchor
        drawing.add(label)
    for mark in (0, 50, 100):
        x = width * mark / 100.0
        text = String(x, 0.6 * mm, loc.percent(mark, 0), fontName=REGULAR, fontSize=6, fillColor=MUTED)
        text.textAnchor = {0: "start", 100: "end"}.get(mark, "middle")
        drawing.add(text)
    return drawing


def _header(data: DeviceReportData, loc: Locale) -> Table:
    s = styles()
    device = data.device
    left = [
        Paragraph(escape(loc.t("device_report.title")), s.title),
        Spacer(1, 2 * mm),
        Paragraph(escape(f"{device.make} {device.model}"), s.big),
        Paragraph(
            escape(
                f"{loc.t('report_id')} {data.report_id} · {loc.t('generated', when=loc.datetime(data.generated_at))}"
            ),
            s.subtitle,
        ),
        Paragraph(escape(f"{loc.t('digest')}: {data.digest}"), s.small),
        Paragraph(escape(loc.t("qr.report")), s.small),
    ]
    table = Table([[left, qr_drawing(report_qr_value(data), 30 * mm)]], colWidths=[144 * mm, 32 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _identity(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    device = data.device
    state = loc.value("device_state", device.state)
    if device.state_reason:
        state += f" ({device.state_reason})"
    rows: list[tuple[str, object]] = [
        (loc.t("field.family"), loc.value("family", device.family)),
        (loc.t("field.make"), device.make),
        (loc.t("field.model"), device.model + (f" ({device.model_number})" if device.model_number else "")),
        (loc.t("field.serial"), device.serial or loc.t("field.none")),
        (loc.t("field.imei"), ", ".join(device.imeis) or loc.t("field.none")),
        (loc.t("field.storage"), loc.storage(device.storage_gb)),
        (loc.t("field.colour"), device.colour or loc.t("field.unknown")),
        (loc.t("field.state"), state),
    ]
    if device.lot:
        rows.append((loc.t("field.lot"), device.lot))
    return [_h2(loc, "section.identity"), kv_table(rows)]


def _inspection(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    rows: list[tuple[str, object]] = [
        (
            loc.t("field.inspection"),
            f"#{data.inspection_id} ({loc.value('inspection_status', data.inspection_status)})",
        ),
        (loc.t("field.station"), data.station),
        (loc.t("field.channel"), data.channel_label),
        (loc.t("field.technician"), data.technician),
        (loc.t("field.started"), loc.datetime(data.started_at)),
        (loc.t("field.ended"), loc.datetime(data.ended_at) if data.ended_at else loc.t("field.none")),
    ]
    return [_h2(loc, "section.inspection"), kv_table(rows)]


def _battery(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    battery = data.battery
    if battery is None:
        return [_h2(loc, "section.battery"), para(loc.t("battery.none"))]
    capacity = loc.t("field.unknown")
    if battery.design_capacity is not None:
        full = loc.number(battery.full_charge_capacity) if battery.full_charge_capacity is not None else "?"
        capacity = f"{full} / {loc.number(battery.design_capacity)} {battery.unit or ''}".strip()
    soh = f"{loc.percent(battery.soh_percent)} — {loc.value('soh_basis', battery.soh_basis)}"
    rows: list[tuple[str, object]] = [
        (loc.t("battery.soh"), soh),
        ("", battery_bar(battery, loc)),
        ("", loc.t("battery.threshold", channel=data.channel_label, soh=loc.percent(battery.sellable_min_soh, 0))),
        (loc.t("battery.cycles"), loc.number(battery.cycle_count) if battery.cycle_count is not None else None),
        (loc.t("battery.capacity"), capacity),
        (loc.t("battery.verdict"), loc.value("battery_verdict", battery.verdict)),
        (
            loc.t("battery.source"),
            f"{battery.source} — "
            + loc.t("battery.recorded", who=battery.recorded_by, when=loc.datetime(battery.recorded_at)),
        ),
    ]
    rows = [(k, loc.t("field.unknown") if v is None else v) for k, v in rows]
    return [_h2(loc, "section.battery"), kv_table(rows)]


def _locks(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    locks = data.locks
    if locks is None:
        return [_h2(loc, "section.locks"), para(loc.t("locks.none"))]
    s = styles()
    verdict = Paragraph(
        escape(loc.t("labelled", label=loc.t("locks.verdict"), value=loc.value("lock_verdict", locks.verdict))),
        s.cell_bold,
    )
    rows = [
        [loc.value("lock_kind", line.kind), loc.value("lock_state", line.state), line.evidence or loc.t("field.none")]
        for line in locks.lines
        if line.relevant or line.state not in ("unknown", "not applicable") or (line.shown and line.state == "unknown")
    ]
    table = grid_table(
        [loc.t("locks.lock"), loc.t("locks.state"), loc.t("locks.evidence")], rows, [70 * mm, 30 * mm, 76 * mm]
    )
    checked = para(
        loc.t("locks.checked", source=locks.source, who=locks.recorded_by, when=loc.datetime(locks.recorded_at)),
        s.small,
    )
    return [_h2(loc, "section.locks"), verdict, Spacer(1, 1.5 * mm), table, checked]


def _functional(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    if not data.functional:
        return [_h2(loc, "section.functional"), para(loc.t("functional.none"))]
    s = styles()
    rows = []
    for line in data.functional:
        colour = {"pass": GOOD, "fail": BAD}.get(line.outcome, MUTED)
        outcome = Paragraph(
            f'<font color="#{colour.hexval()[2:]}">{escape(loc.value("outcome", line.outcome))}</font>',
            s.cell_bold,
        )
        rows.append(
            [
                loc.test_title(line.test_id, line.title),
                outcome,
                loc.value("measured_by", line.measured_by),
                line.recorded_by,
                line.note,
            ]
        )
    header = [
        loc.t("functional.test"),
        loc.t("functional.outcome"),
        loc.t("functional.how"),
        loc.t("functional.by"),
        loc.t("functional.note"),
    ]
    flowables: list[Flowable] = [
        _h2(loc, "section.functional"),
        grid_table(header, rows, [64 * mm, 22 * mm, 28 * mm, 24 * mm, 38 * mm]),
    ]
    for line in data.functional:
        samples = meter_samples(line.evidence)
        if samples:
            caption = loc.t("functional.samples").replace("%1", loc.test_title(line.test_id, line.title))
            flowables += [Spacer(1, 2 * mm), Paragraph(escape(caption), s.cell_bold), current_plot(samples)]
    return flowables


def meter_samples(evidence: tuple[tuple[str, str], ...]) -> list[tuple[float, float]]:
    """(seconds, amperes) from a USB meter's samples kept as a test's evidence; nothing if there are none or they
    cannot be read (the evidence is shown as recorded in the table, never guessed)."""
    for key, value in evidence:
        if key != "samples":
            continue
        try:
            rows = json.loads(value)
            points = [(float(row[0]), float(row[2])) for row in rows]
        except (ValueError, TypeError, IndexError, KeyError):
            return []
        return [(t, a) for t, a in points if math.isfinite(t) and math.isfinite(a)]
    return []


def current_plot(samples: list[tuple[float, float]], width: float = 120 * mm, height: float = 32 * mm) -> Drawing:
    """Charging current over time, as the meter measured it."""
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 12 * mm, 6 * mm
    plot.width, plot.height = width - 16 * mm, height - 10 * mm
    plot.data = [samples]
    plot.lines[0].strokeColor = GOOD
    plot.lines[0].strokeWidth = 1.2
    plot.xValueAxis.valueMin = 0
    plot.yValueAxis.valueMin = 0
    plot.xValueAxis.labels.fontName = plot.yValueAxis.labels.fontName = REGULAR
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 6
    plot.yValueAxis.labelTextFormat = "%.1f A"
    plot.xValueAxis.labelTextFormat = "%d s"
    drawing.add(plot)
    return drawing


def _cosmetic(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [_h2(loc, "section.cosmetic")]
    grade = data.grade
    if grade is None:
        out.append(para(loc.t("cosmetic.ungraded")))
    else:
        name = loc.value("grade", grade.grade) if grade.grade else loc.t("grade.not_sellable")
        out.append(
            Paragraph(
                escape(
                    loc.t(
                        "labelled", label=loc.t("field.grade"), value=f"{name} · {loc.t('cosmetic.ctia')} {grade.ctia}"
                    )
                ),
                s.big,
            )
        )
        out.append(
            kv_table(
                [
                    (loc.t("cosmetic.rule"), grade.reason),
                    (
                        "",
                        loc.t(
                            "cosmetic.rubric",
                            version=grade.rubric_version,
                            who=grade.decided_by,
                            when=loc.datetime(grade.decided_at),
                        ),
                    ),
                ]
            )
        )
    if data.defects:
        rows = [
            [
                loc.value("zone", d.zone),
                loc.value("defect", d.kind),
                loc.value("severity", d.severity),
                d.note,
                d.recorded_by,
            ]
            for d in data.defects
        ]
        header = [
            loc.t("cosmetic.zone"),
            loc.t("cosmetic.defect"),
            loc.t("cosmetic.severity"),
            loc.t("functional.note"),
            loc.t("functional.by"),
        ]
        out += [Spacer(1, 2 * mm), grid_table(header, rows, [30 * mm, 30 * mm, 42 * mm, 48 * mm, 26 * mm])]
    else:
        out.append(para(loc.t("cosmetic.none")))
    return out


def _erasure(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    erasure = data.erasure
    if erasure is None:
        return [_h2(loc, "section.erasure"), para(loc.t("erasure.none"))]
    tool = " ".join(part for part in (erasure.tool, erasure.tool_version) if part) or loc.t("field.unknown")
    rows: list[tuple[str, object]] = [
        (loc.t("erasure.status"), loc.value("erasure_status", erasure.status)),
        (loc.t("erasure.method"), erasure.method),
        (loc.t("erasure.nist"), loc.value("nist", erasure.nist_level)),
        (loc.t("erasure.tool"), tool),
        (
            loc.t("erasure.verification"),
            f"{erasure.verification or loc.t('field.unknown')} — "
            f"{loc.value('verification_result', erasure.verification_result)}",
        ),
        (loc.t("erasure.started"), loc.datetime(erasure.started_at)),
        (loc.t("erasure.duration"), loc.duration((erasure.finished_at - erasure.started_at).total_seconds())),
        (loc.t("erasure.by"), erasure.performed_by),
        (loc.t("erasure.certificate"), erasure.certificate_id or loc.t("field.none")),
    ]
    return [_h2(loc, "section.erasure"), kv_table(rows)]


def _thumbnail(path: str) -> Flowable | None:
    """The photo scaled into a 40 mm box, or None when it cannot be read (missing file, a format like HEIC)."""
    try:
        with PILImage.open(path) as image:
            image.verify()
        return Image(path, width=40 * mm, height=40 * mm, kind="proportional")
    except (OSError, ValueError, SyntaxError):
        return None


def _photos(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    if not data.photos:
        return []
    s = styles()
    cells: list[list[object]] = []
    row: list[object] = []
    for photo in data.photos:
        caption = f"{loc.value('photo_view', photo.view)} — {photo.taken_by}, {loc.date(photo.taken_at)}"
        image = _thumbnail(photo.path)
        row.append([image or para(loc.t("photo.unreadable"), s.small), para(caption, s.small)])
        if len(row) == 4:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (4 - len(row)))
    table = Table(cells, colWidths=[44 * mm] * 4, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [_h2(loc, "section.photos"), table]


def _signoff(data: DeviceReportData, loc: Locale) -> list[Flowable]:
    technician = f"{data.technician} — {loc.datetime(data.ended_at or data.started_at)}"
    if data.review is None:
        auditor = loc.t("signoff.pending")
    else:
        review = data.review
        auditor = f"{review.auditor} — {loc.value('review', review.decision)} — {loc.datetime(review.decided_at)}"
        if review.reason:
            auditor += f" ({review.reason})"
    rows: list[tuple[str, object]] = [(loc.t("signoff.technician"), technician), (loc.t("signoff.auditor"), auditor)]
    return [KeepTogether([_h2(loc, "section.signoff"), kv_table(rows)])]


def _h2(loc: Locale, key: str) -> Paragraph:
    return Paragraph(escape(loc.t(key)), styles().h2)


def render_device_report(data: DeviceReportData, out: Output, *, lang: str = "en") -> bytes:
    """Write the report as a PDF to ``out`` (a path or a binary file) and return its bytes."""
    loc = Locale(lang)
    story: list[Flowable] = [_header(data, loc)]
    for section in (_identity, _inspection, _battery, _locks, _functional, _cosmetic, _erasure, _photos, _signoff):
        story += section(data, loc)
    device = data.device
    title = f"{loc.t('device_report.title')} — {device.make} {device.model} ({data.report_id})"
    return build_pdf(
        out,
        story,
        loc=loc,
        title=title,
        subject=report_qr_value(data),
        footer=f"Refurb Station · {data.report_id} · sha256 {data.digest[:16]}…",
    )


__all__ = ["battery_bar", "render_device_report", "report_filename", "report_qr_value"]
