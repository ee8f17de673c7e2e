"""The trade-in lot report for the partner: summary, line-by-line reconciliation and the counter-offer, with charts."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from audit.documents import LotLine, LotReportData
from reports._layout import (
    BAD,
    GOOD,
    INK,
    MUTED,
    RULE,
    Output,
    build_pdf,
    escape,
    grid_table,
    kv_table,
    styles,
)
from reports.fonts import BOLD, REGULAR
from reports.i18n import Locale

SOH_BIN_WIDTH = 5
SOH_FLOOR = 60  # one bin "< 60 %" below it: a lot's worn batteries need no finer breakdown


def soh_histogram(values: list[float], loc: Locale) -> tuple[list[str], list[int]]:
    """Counts per 5 % band from 60 % to 100 %, with one bin below 60 %; values above 100 % go in the top band."""
    edges = list(range(SOH_FLOOR, 100, SOH_BIN_WIDTH))
    labels = [f"<{SOH_FLOOR}"] + [f"{low}–{low + SOH_BIN_WIDTH}" for low in edges]
    counts = [0] * len(labels)
    for value in values:
        if value < SOH_FLOOR:
            counts[0] += 1
        else:
            counts[min(1 + int((value - SOH_FLOOR) // SOH_BIN_WIDTH), len(labels) - 1)] += 1
    return labels, counts


def nice_step(top: int) -> int:
    """A round axis step (1, 2, 5, 10, 20, 25, 50...) giving about five divisions up to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return 1000 * (top // 5000 + 1)


def _bar_chart(title: str, labels: list[str], counts: list[int], width: float, height: float) -> Drawing:
    drawing = Drawing(width, height, initialFontName=REGULAR)
    heading = String(0, height - 12, title, fontName=BOLD, fontSize=10, fillColor=INK)
    drawing.add(heading)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 30
    chart.width, chart.height = width - 40, height - 60
    chart.data = [counts]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    step = nice_step(max(counts, default=0))
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * (max(counts, default=0) // step + 1)
    chart.valueAxis.strokeColor = RULE
    chart.categoryAxis.strokeColor = RULE
    chart.bars[0].fillColor = GOOD
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def _price_cell(line: LotLine, loc: Locale) -> str:
    return loc.money(line.adjusted_price, line.currency) if line.adjusted_price is not None else loc.t("field.none")


def _declared(line: LotLine, loc: Locale) -> str:
    parts = [line.declared_model, loc.storage(line.declared_storage_gb), loc.value("grade", line.declared_grade)]
    if line.declared_identifier:
        parts.append(line.declared_identifier)
    return " · ".join(parts)


def _audited(line: LotLine, loc: Locale) -> str:
    if line.audited_model is None:
        return loc.t("field.none")
    grade = (
        loc.value("grade", line.audited_grade)
        if line.audited_grade
        else loc.t("grade.not_sellable" if line.sellable is False else "grade.not_graded")
    )
    parts = [line.audited_model, loc.storage(line.audited_storage_gb), grade]
    if line.lock_verdict and line.lock_verdict != "clear":
        parts.append(loc.value("lock_verdict", line.lock_verdict))
    return " · ".join(parts)


def _battery(line: LotLine, loc: Locale) -> str:
    if line.battery_verdict is None:
        return loc.t("field.none")
    return f"{loc.percent(line.soh_percent, 0)} ({loc.value('battery_short', line.battery_verdict)})"


def _counts_table(title: str, rows: list[tuple[str, int]], loc: Locale) -> Table:
    s = styles()
    data = [[Paragraph(escape(title), s.cell_bold), Paragraph(escape(loc.t("lot.count")), s.cell_bold)]]
    data += [[Paragraph(escape(label), s.cell), Paragraph(loc.number(count), s.cell)] for label, count in rows]
    table = Table(data, colWidths=[44 * mm, 20 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _summary(data: LotReportData, loc: Locale) -> list[Flowable]:
    s = styles()
    currency = data.currency
    not_valued = sum(1 for line in data.lines if line.status not in ("match", "adjusted"))
    overview = kv_table(
        [
            (loc.t("lot.partner"), data.partner),
            (loc.t("field.channel"), data.channel_label),
            (loc.t("lot.quoted_on"), loc.date(data.quoted_on)),
            (loc.t("lot.received"), f"{loc.datetime(data.received_at)} — {data.received_by}"),
            (loc.t("lot.devices"), loc.number(len(data.lines))),
            (loc.t("lot.quoted_total"), loc.money(data.quoted_total, currency)),
            (
                loc.t("lot.counter_offer"),
                Paragraph(escape(loc.money(data.counter_offer_total, currency)), s.cell_bold),
            ),
        ],
        widths=(50 * mm, 120 * mm),
    )
    bands = {
        "sellable": loc.t("battery_band.sellable", soh=loc.percent(data.sellable_min_soh, 0)),
        "replace": loc.t(
            "battery_band.replace", low=loc.percent(data.worn_below_soh, 0), high=loc.percent(data.sellable_min_soh, 0)
        ),
        "worn": loc.t("battery_band.worn", soh=loc.percent(data.worn_below_soh, 0)),
        "unknown": loc.t("battery_band.unknown"),
    }
    tables = [
        _counts_table(loc.t("lot.by_status"), [(loc.value("status", k), n) for k, n in data.counts_by_status()], loc),
        _counts_table(loc.t("lot.by_grade"), [(loc.value("grade", k), n) for k, n in data.counts_by_grade()], loc),
        _counts_table(loc.t("lot.by_lock"), [(loc.value("lock_verdict", k), n) for k, n in data.counts_by_lock()], loc),
        _counts_table(loc.t("lot.by_battery"), [(bands[k], n) for k, n in data.counts_by_battery_band()], loc),
    ]
    counts = Table([tables], colWidths=[65 * mm] * 4, hAlign="LEFT")
    counts.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Flowable] = [Paragraph(escape(loc.t("section.summary")), s.h2), overview]
    if not_valued:
        story.append(Paragraph(escape(loc.t("lot.not_valued", count=not_valued)), s.small))
    story += [Spacer(1, 3 * mm), counts]
    return story


def _reconciliation(data: LotReportData, loc: Locale) -> list[Flowable]:
    s = styles()
    header = [
        loc.t("lot.col.line"),
        loc.t("lot.col.declared"),
        loc.t("lot.col.audited"),
        loc.t("lot.col.battery"),
        loc.t("lot.col.quoted"),
        loc.t("lot.col.adjusted"),
        loc.t("lot.col.status"),
        loc.t("lot.col.reasons"),
    ]
    rows = []
    for line in data.lines:
        colour = {"match": GOOD, "adjusted": INK, "refused": BAD}.get(line.status, MUTED)
        status = Paragraph(
            f'<font color="#{colour.hexval()[2:]}">{escape(loc.value("status", line.status))}</font>', s.cell
        )
        rows.append(
            [
                str(line.line_no),
                _declared(line, loc),
                _audited(line, loc),
                _battery(line, loc),
                loc.money(line.quoted_price, line.currency),
                _price_cell(line, loc),
                status,
                "; ".join(line.reasons),
            ]
        )
    widths = [9 * mm, 52 * mm, 46 * mm, 26 * mm, 21 * mm, 21 * mm, 24 * mm, 63 * mm]
    table = grid_table(header, rows, widths)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("ALIGN", (4, 1), (5, -1), "RIGHT")]))
    return [Paragraph(escape(loc.t("section.reconciliation")), s.h2), table]


def _charts(data: LotReportData, loc: Locale) -> list[Flowable]:
    s = styles()
    grade_counts = data.counts_by_grade()
    grades = _bar_chart(
        loc.t("lot.chart.grades"),
        [loc.value("grade", k) for k, _ in grade_counts],
        [n for _, n in grade_counts],
        125 * mm,
        140 * mm,
    )
    values = [line.soh_percent for line in data.lines if line.soh_percent is not None]
    story: list[Flowable] = [PageBreak(), Paragraph(escape(loc.t("section.charts")), s.h2)]
    if values:
        labels, counts = soh_histogram(values, loc)
        soh: Flowable = _bar_chart(loc.t("lot.chart.soh"), labels, counts, 125 * mm, 140 * mm)
    else:
        soh = Paragraph(escape(loc.t("lot.chart.no_soh")), s.body)
    charts = Table([[grades, soh]], colWidths=[130 * mm, 130 * mm], hAlign="LEFT")
    charts.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(charts)
    return story


def render_lot_report(data: LotReportData, out: Output, *, lang: str = "en") -> bytes:
    """Write the lot report (A4 landscape) to ``out`` and return its bytes."""
    loc = Locale(lang)
    s = styles()
    story: list[Flowable] = [
        Paragraph(escape(f"{loc.t('lot_report.title')} — {data.reference}"), s.title),
        Paragraph(escape(loc.t("generated", when=loc.datetime(data.generated_at))), s.subtitle),
        *_summary(data, loc),
        *_reconciliation(data, loc),
        *_charts(data, loc),
    ]
    return build_pdf(
        out,
        story,
        loc=loc,
        title=f"{loc.t('lot_report.title')} {data.reference}",
        subject=f"{data.partner} — {data.reference}",
        footer=f"Refurb Station · {loc.t('lot.reference')} {data.reference} · {data.partner}",
        pagesize=landscape(A4),
    )


def lot_report_filename(data: LotReportData) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in data.reference)
    return f"lot_{safe}.pdf"
