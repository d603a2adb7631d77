"""The status report as a PDF (reportlab platypus; charts drawn with reportlab.graphics).

Title, program and week; the dimensions with their RAG colour, headline and the rule
that decided it; the key figures; charts — the S-curve (PV, EV, AC and the forecast) for
readers who may see costs, and for everyone the benefits by status and the slip of the
milestones that moved; then milestones, risks, deliverables, feedback, component
updates, decisions, change requests and gates. It draws from a
:class:`~podium.reports.services.StatusReport` only, so it never shows more than the
reader's report holds.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from podium.reports.services import StatusReport

__all__ = ["benefit_chart", "s_curve_chart", "slip_chart", "status_report_pdf"]

INK = colors.HexColor("#17233a")
LINE = colors.HexColor("#c9d1de")
HEAD = colors.HexColor("#e6ebf3")
RAG_COLOURS = {
    "green": colors.HexColor("#1e7b34"),
    "amber": colors.HexColor("#b26a00"),
    "red": colors.HexColor("#b3261e"),
    "grey": colors.HexColor("#6b7280"),
}
SERIES = {
    "PV": colors.HexColor("#2456a6"),
    "EV": colors.HexColor("#1e7b34"),
    "AC": colors.HexColor("#b3261e"),
    "Forecast": colors.HexColor("#8a8f98"),
}
WIDTH = 174 * mm


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float], extra: list[Any] | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                *(extra or []),
            ]
        )
    )
    return table


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 9, text, fontSize=9, fillColor=INK))


# -- charts ------------------------------------------------------------------------------


def s_curve_chart(report: StatusReport) -> Drawing | None:
    """PV, EV, AC and the forecast of the program, cumulative by week (None when the
    reader may not see costs or there is no budget)."""
    if not report.can_see_costs:
        return None
    from podium.finance.evm import s_curve

    curve = s_curve(report.program, report.status_date)
    if not curve.points:
        return None
    origin = curve.points[0].date

    def x(day: dt.date) -> int:
        return (day - origin).days

    series: dict[str, list[tuple[int, float]]] = {name: [] for name in SERIES}
    for pt in curve.points:
        series["PV"].append((x(pt.date), pt.pv))
        if pt.ev is not None:
            series["EV"].append((x(pt.date), pt.ev))
        if pt.ac is not None:
            series["AC"].append((x(pt.date), pt.ac))
        if pt.forecast is not None:
            series["Forecast"].append((x(pt.date), pt.forecast))
    names = [n for n, values in series.items() if values]
    drawing = Drawing(WIDTH, 80 * mm)
    plot = LinePlot()
    plot.x, plot.y = 22 * mm, 14 * mm
    plot.width, plot.height = 120 * mm, 56 * mm
    plot.data = [series[n] for n in names]
    for i, name in enumerate(names):
        plot.lines[i].strokeColor = SERIES[name]
        plot.lines[i].strokeWidth = 1.4
    plot.xValueAxis.labelTextFormat = lambda v: (origin + dt.timedelta(days=int(v))).strftime(
        "%Y-%m"
    )
    plot.xValueAxis.labels.fontSize = 7
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.labelTextFormat = lambda v: f"{v / 1e6:,.1f} M" if v >= 1e6 else f"{v:,.0f}"
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y = 148 * mm, 60 * mm
    legend.fontSize = 7
    legend.colorNamePairs = [(SERIES[n], n) for n in names]
    drawing.add(legend)
    _title(
        drawing,
        f"S-curve ({curve.currency}): BAC {curve.bac:,.0f}, EAC {curve.eac:,.0f}, "
        f"status date {curve.status_date:%Y-%m-%d}",
    )
    return drawing


def benefit_chart(report: StatusReport) -> Drawing | None:
    """How many benefits are in each status (None without benefits)."""
    if not report.benefit_counts:
        return None
    drawing = Drawing(WIDTH, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = 150 * mm, 36 * mm
    chart.data = [[count for _, count in report.benefit_counts]]
    chart.categoryAxis.categoryNames = [label for label, _ in report.benefit_counts]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#2456a6")
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = "%d"
    drawing.add(chart)
    _title(drawing, "Benefits by status")
    return drawing


def slip_chart(report: StatusReport) -> Drawing | None:
    """The milestones that moved, by days of slip against the baseline (None when none)."""
    rows = report.slipped_milestones[:8]
    if not rows:
        return None
    height = (22 + 7 * len(rows)) * mm
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 8 * mm
    chart.width, chart.height = 105 * mm, height - 18 * mm
    chart.data = [[m.slip_days or 0 for m in reversed(rows)]]
    chart.categoryAxis.categoryNames = [m.name[:38] for m in reversed(rows)]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = RAG_COLOURS["amber"]
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = "%g d"
    drawing.add(chart)
    _title(drawing, "Milestone slip against the baseline (calendar days)")
    return drawing


# -- the document ------------------------------------------------------------------------


def _section(story: list[Flowable], title: str, styles: Any) -> None:
    story += [Spacer(1, 4 * mm), _p(title, styles["Heading2"])]


def status_report_pdf(report: StatusReport) -> bytes:
    """The report as PDF bytes."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8.5, leading=11)
    small = ParagraphStyle("small", parent=body, textColor=colors.HexColor("#5d6778"))
    buffer = io.BytesIO()
    program = report.program
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=report.title,
        author="Podium",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    story: list[Flowable] = [
        _p(f"Status report — week {report.week_label}", styles["Title"]),
        _p(f"{program.code} {program.name}", styles["Heading3"]),
        _p(
            f"Week {report.week_start:%Y-%m-%d} to {report.week_end:%Y-%m-%d}"
            + (f"; earned value at {report.status_date:%Y-%m-%d}" if report.status_date else "")
            + f". Prepared for {report.user} on {timezone.localdate():%Y-%m-%d}.",
            small,
        ),
    ]
    if report.left_out:
        story.append(_p("Left out for your role: " + ", ".join(report.left_out) + ".", small))

    _section(story, "Status by dimension", styles)
    if report.rag_rows:
        rows: list[list[Any]] = [[_p(h, body) for h in ("Dimension", "Status", "Headline", "Rule")]]
        extra = []
        for i, (label, rag, rag_label, headline, rule) in enumerate(report.rag_rows, start=1):
            rows.append([_p(label, body), _p(rag_label, body), _p(headline, body), _p(rule, small)])
            extra.append(
                ("BACKGROUND", (1, i), (1, i), RAG_COLOURS.get(rag, LINE).clone(alpha=0.25))
            )
        story.append(_table(rows, [28 * mm, 18 * mm, 60 * mm, 68 * mm], extra))
    else:
        story.append(_p("The dashboard has no status for this program yet.", small))

    _section(story, "Key figures", styles)
    if report.figures:
        story.append(
            _table(
                [[_p("Figure", body), _p("Value", body)]]
                + [[_p(f.label, body), _p(f.value, body)] for f in report.figures],
                [60 * mm, 114 * mm],
            )
        )
    else:
        story.append(_p("No budget or cost recorded yet: no earned-value figures.", small))

    charts = [c for c in (s_curve_chart(report), benefit_chart(report), slip_chart(report)) if c]
    if charts:
        _section(story, "Charts", styles)
        for chart in charts:
            story += [chart, Spacer(1, 3 * mm)]

    _section(story, "Milestones", styles)
    if report.upcoming_milestones or report.slipped_milestones:
        ms: list[list[Any]] = [[_p(h, body) for h in ("Milestone", "Component", "Baseline",
                                                         "Forecast", "Slip")]]  # fmt: skip
        seen: set[int] = set()
        for m in [*report.upcoming_milestones, *report.slipped_milestones]:
            if m.activity_id in seen:
                continue
            seen.add(m.activity_id)
            ms.append([
                _p(m.name, body), _p(m.component or "", body),
                _p(f"{m.baseline_finish:%Y-%m-%d}" if m.baseline_finish else "—", body),
                _p(f"{m.finish:%Y-%m-%d}" if m.finish else "—", body),
                _p("—" if m.slip_days is None else f"{m.slip_days:+g} d", body),
            ])  # fmt: skip
        story.append(_table(ms, [66 * mm, 24 * mm, 28 * mm, 28 * mm, 28 * mm]))
    else:
        story.append(_p("No milestones ahead.", small))

    _section(story, "Top risks", styles)
    if report.top_risks:
        rk: list[list[Any]] = [[_p(h, body) for h in ("Risk", "Where", "Probability", "Score")]]
        rk += [[_p(f"{r.code} {r.title}", body), _p(r.component, body), _p(r.probability, body),
                _p(str(r.score), body)] for r in report.top_risks]  # fmt: skip
        story.append(_table(rk, [100 * mm, 26 * mm, 26 * mm, 22 * mm]))
    else:
        story.append(_p("No open risks.", small))

    _section(story, "Deliverables due and late", styles)
    lines = [(d, "late") for d in report.deliverables_late] + [
        (d, "due") for d in report.deliverables_due
    ]
    if lines:
        dl: list[list[Any]] = [
            [_p(h, body) for h in ("Deliverable", "Component", "Status", "Date")]
        ]
        dl += [[_p(f"{d.code} {d.name}", body), _p(d.component, body), _p(d.status, body),
                _p(f"{d.due:%Y-%m-%d} ({what})" if d.due else what, body)]
               for d, what in lines]  # fmt: skip
        story.append(_table(dl, [80 * mm, 26 * mm, 34 * mm, 34 * mm]))
    else:
        story.append(_p("Nothing due in the next two weeks and nothing late.", small))

    if report.benefit_counts:
        _section(story, "Benefits", styles)
        story.append(
            _p(", ".join(f"{label}: {count}" for label, count in report.benefit_counts), body)
        )

    if report.feedback is not None:
        _section(story, "Feedback", styles)
        head = f"{report.feedback.label.title()}: " if report.feedback.label else ""
        story.append(_p(head + report.feedback.value, body))

    _section(story, "Component updates", styles)
    if report.component_updates:
        cu: list[list[Any]] = [[_p(h, body) for h in ("Component", "Overall", "Update")]]
        extra_cu = []
        for i, line in enumerate(report.component_updates, start=1):
            if line.update_id is None:
                cu.append([_p(f"{line.component} {line.name}", body), _p("—", body),
                           _p("No status update was submitted for this week.", small)])  # fmt: skip
                continue
            parts = [line.overall_reason] if line.overall_reason else []
            parts += [f"{label}: {rag.title()}" + (f" — {reason}" if reason else "")
                      for label, rag, reason in line.reasons]  # fmt: skip
            for title, text in (("Accomplishments", line.accomplishments),
                                ("Next steps", line.next_steps), ("Blockers", line.blockers),
                                ("Help needed", line.help_needed)):  # fmt: skip
                if text:
                    parts.append(f"{title}: {text}")
            cu.append([_p(f"{line.component} {line.name}", body),
                       _p(line.overall_rag.title(), body), _p("\n".join(parts), body)])  # fmt: skip
            extra_cu.append(
                ("BACKGROUND", (1, i), (1, i),
                 RAG_COLOURS.get(line.overall_rag, LINE).clone(alpha=0.25))
            )  # fmt: skip
        story.append(_table(cu, [36 * mm, 18 * mm, 120 * mm], extra_cu))
    else:
        story.append(_p("No component reports status updates yet.", small))

    if report.sees_governance:
        _section(story, "Decisions this week", styles)
        if report.decisions:
            dc: list[list[Any]] = [[_p(h, body) for h in ("#", "Date", "Decision", "Subject")]]
            dc += [[_p(str(d.number), body), _p(f"{d.day:%Y-%m-%d}", body),
                    _p(f"{d.kind}: {d.outcome}", body), _p(d.subject, body)]
                   for d in report.decisions]  # fmt: skip
            story.append(_table(dc, [12 * mm, 24 * mm, 56 * mm, 82 * mm]))
        else:
            story.append(_p("No decisions were recorded this week.", small))
        _section(story, "Gates ahead", styles)
        if report.gates:
            gt: list[list[Any]] = [[_p(h, body) for h in ("Subject", "Gate", "Review", "Planned")]]
            gt += [[_p(g.subject, body), _p(g.gate, body), _p(g.review, body),
                    _p(f"{g.planned:%Y-%m-%d}" if g.planned else "—", body)]
                   for g in report.gates]  # fmt: skip
            story.append(_table(gt, [30 * mm, 56 * mm, 60 * mm, 28 * mm]))
        else:
            story.append(_p("Every subject is past its last gate.", small))

    if report.sees_changes:
        _section(story, "Open change requests", styles)
        if report.change_requests:
            cr: list[list[Any]] = [[_p(h, body) for h in ("Request", "State", "Submitted")]]
            cr += [[_p(f"{c.code} {c.title}", body), _p(c.state, body),
                    _p(f"{c.since:%Y-%m-%d}" if c.since else "—", body)]
                   for c in report.change_requests]  # fmt: skip
            story.append(_table(cr, [110 * mm, 30 * mm, 34 * mm]))
        else:
            story.append(_p("No open change requests.", small))

    doc.build(story)
    return buffer.getvalue()
