"""The "you said, we did" report as a PDF (reportlab), made on request.

Title and period, the summary when published, the period's figures, a bar chart of the
mean rating by month of submission, the "you said / we did" table and the "what we could
not do" table. Like the page, it names nobody: it is drawn from a
:class:`~podium.feedback.report.Report` only.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from podium.feedback.models import FeedbackItem
from podium.feedback.monitoring import Figures, in_window, month_start
from podium.feedback.report import Report

__all__ = ["ratings_by_month", "report_pdf"]

INK = colors.HexColor("#17233a")
LINE = colors.HexColor("#c9d1de")
HEAD = colors.HexColor("#e6ebf3")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _num(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def figure_rows(f: Figures) -> list[tuple[str, str]]:
    """The figures as (label, value) lines, shared by the PDF and the page."""
    rate = "—" if f.closure_rate is None else f"{f.closure_rate:.0%}"
    return [
        ("Feedback received", str(f.received)),
        ("Closed or verified", str(f.loop_closed)),
        ("Declined", str(f.declined)),
        ("Closure rate", rate),
        (
            "Time to acknowledge, median / 90th percentile (working days)",
            f"{_num(f.acknowledge.median)} / {_num(f.acknowledge.p90)}",
        ),
        (
            "Time to close, median / 90th percentile (working days)",
            f"{_num(f.close.median)} / {_num(f.close.p90)}",
        ),
        ("Open items today, of which overdue", f"{f.open_items}, {f.overdue} overdue"),
        ("Mean rating (1–5)", f"{_num(f.mean_rating)} ({f.rated} rated)"),
    ]


def ratings_by_month(report: Report) -> list[tuple[str, float, int]]:
    """(month "YYYY-MM", mean rating, count) of the rated items submitted in the period."""
    items = in_window(
        FeedbackItem.objects.filter(program=report.program, rating__isnull=False),
        report.period.start,
        report.period.end,
    ).values_list("submitted_at", "rating")
    buckets: dict[str, list[int]] = defaultdict(list)
    for submitted_at, rating in items:
        buckets[month_start(timezone.localtime(submitted_at).date()).strftime("%Y-%m")].append(
            rating
        )
    return [(m, sum(r) / len(r), len(r)) for m, r in sorted(buckets.items())]


def _chart(rows: list[tuple[str, float, int]]) -> Drawing:
    drawing = Drawing(160 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = 140 * mm, 42 * mm
    chart.data = [[round(mean, 2) for _, mean, _ in rows]]
    chart.categoryAxis.categoryNames = [f"{m} (n={n})" for m, _, n in rows]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.bars[0].fillColor = colors.HexColor("#2456a6")
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = "%.1f"
    drawing.add(chart)
    drawing.add(
        String(
            12 * mm, 56 * mm, "Mean rating by month of submission (1–5)", fontSize=8, fillColor=INK
        )
    )
    return drawing


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ]
        )
    )
    return table


def report_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8.5, leading=11)
    small = ParagraphStyle("small", parent=body, textColor=colors.HexColor("#5d6778"))
    buffer = io.BytesIO()
    title = f"You said, we did — {report.program.code} {report.program.name}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Podium",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    story: list[Any] = [
        _p(title, styles["Title"]),
        _p(
            f"Period: {report.period.label} ({report.period.start:%Y-%m-%d} to "
            f"{report.period.end:%Y-%m-%d})",
            styles["Heading3"],
        ),
    ]
    if report.published is not None:
        story.append(
            _p(f"Published {timezone.localtime(report.published.published_at):%Y-%m-%d}.", small)
        )
        if report.published.summary:
            story += [Spacer(1, 3 * mm), _p(report.published.summary, styles["BodyText"])]
    else:
        story.append(_p("Draft: not published to stakeholders yet.", small))

    story += [Spacer(1, 4 * mm), _p("The period in figures", styles["Heading2"])]
    story.append(
        _table(
            [[_p("Figure", body), _p("Value", body)]]
            + [[_p(k, body), _p(v, body)] for k, v in figure_rows(report.figures)],
            [120 * mm, 54 * mm],
        )
    )
    rows = ratings_by_month(report)
    if rows:
        story += [Spacer(1, 4 * mm), _chart(rows)]

    story += [Spacer(1, 4 * mm), _p("You said, we did", styles["Heading2"])]
    if report.done:
        lines: list[list[Any]] = [[_p(h, body) for h in ("You said", "About", "We did")]]
        for e in report.done:
            did = [
                f"{a.title} (" + (f"done {a.done_on:%Y-%m-%d})" if a.done_on else f"{a.status})")
                for a in e.actions
            ] or ["Acted on without a separate action."]
            did.append(f"Done on {e.done_on:%Y-%m-%d}; now {e.state.lower()}.")
            lines.append(
                [
                    _p(e.said, body),
                    _p(
                        f"{e.category} · {e.component}"
                        + (f" · rated {e.rating}/5" if e.rating else ""),
                        small,
                    ),
                    _p("\n".join(did), body),
                ]
            )
        story.append(_table(lines, [74 * mm, 30 * mm, 70 * mm]))
    else:
        story.append(_p("Nothing was completed in this period.", small))

    story += [Spacer(1, 4 * mm), _p("What we could not do", styles["Heading2"])]
    if report.declined:
        declined: list[list[Any]] = [[_p(h, body) for h in ("You said", "About", "Why not")]]
        declined += [
            [_p(d.said, body), _p(f"{d.category} · {d.component}", small), _p(d.reason, body)]
            for d in report.declined
        ]
        story.append(_table(declined, [74 * mm, 30 * mm, 70 * mm]))
    else:
        story.append(_p("No feedback was declined in this period.", small))
    story += [
        Spacer(1, 6 * mm),
        _p("This report names no one who gave feedback.", small),
    ]
    doc.build(story)
    return buffer.getvalue()
