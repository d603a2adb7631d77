"""The weekly job ``reports.weekly``: each subscriber's own report, e-mailed with its PDF.

Registered as a periodic job (every seven days) in :mod:`podium.reports.apps`; the worker's
scheduler starts it. Each active subscription gets the report built for that user — so a
stakeholder's mail carries no cost figures — unless the user is inactive, has no e-mail
address or no longer belongs to the program.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from podium.core.jobs import JobContext, job_handler
from podium.programs.permissions import visible_programs
from podium.reports.models import ReportSubscription
from podium.reports.pdf import status_report_pdf
from podium.reports.services import StatusReport, build_status_report

__all__ = ["send_weekly_reports", "weekly_mail"]


def _absolute(url: str) -> str:
    base = getattr(settings, "PODIUM_BASE_URL", "")
    return f"{base.rstrip('/')}{url}" if base else url


def weekly_mail(report: StatusReport) -> EmailMessage:
    """The e-mail of one reader's report, the PDF attached."""
    program = report.program
    lines = [f"The weekly status report of {program.code} {program.name}, week "
             f"{report.week_label} ({report.week_start:%Y-%m-%d} to {report.week_end:%Y-%m-%d}).",
             ""]  # fmt: skip
    for label, _, rag_label, headline, _ in report.rag_rows:
        lines.append(f"- {label}: {rag_label} — {headline}")
    for f in report.figures:
        lines.append(f"- {f.label}: {f.value}")
    url = reverse("reports:report", kwargs={"code": program.code})
    lines += [
        "",
        "The full report is attached as a PDF and online at:",
        _absolute(url),
        "",
        "You receive this because you subscribed on the report page; unsubscribe there.",
    ]
    message = EmailMessage(
        subject=f"[{program.code}] Status report week {report.week_label}",
        body="\n".join(lines),
        to=[report.user.email],
    )
    message.attach(
        f"{program.code}-status-{report.week_label}.pdf",
        status_report_pdf(report),
        "application/pdf",
    )
    return message


@job_handler("reports.weekly")
def send_weekly_reports(ctx: JobContext | None = None, today: str | None = None) -> dict[str, Any]:
    """E-mail every active subscriber their report of the week of ``today``."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    subs = list(
        ReportSubscription.objects.filter(active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("program", "user")
        .order_by("program__code", "user__username")
    )
    sent = skipped = 0
    for i, sub in enumerate(subs):
        if not visible_programs(sub.user).filter(pk=sub.program_id).exists():
            skipped += 1  # no longer a member
            continue
        report = build_status_report(sub.program, sub.user, day)
        weekly_mail(report).send()
        ReportSubscription.objects.filter(pk=sub.pk).update(last_sent_at=timezone.now())
        sent += 1
        if ctx is not None:
            ctx.progress(100 * (i + 1) / len(subs), f"{sent} report(s) sent")
    return {"sent": sent, "skipped": skipped}
