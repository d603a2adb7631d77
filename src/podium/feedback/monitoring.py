"""How well a program answers its stakeholders: figures over feedback items.

Selectors over a :class:`~podium.feedback.models.FeedbackItem` queryset (narrowed to what
the caller may see before it reaches these functions) for one program and a window of
submission dates. Everything is computed from the dates the triage steps put on each
item, so a step taken (acknowledge, implement, verify, close, decline) changes the
figures at the next read; nothing is stored.

Definitions
-----------
working days
    Monday to Friday between the local dates of two moments, counted like the service
    targets (:func:`podium.feedback.selectors.working_days_between`): the working days
    after the first date up to and including the second. Submitted on Monday and
    acknowledged on Tuesday is 1 working day; on Friday and answered on Monday, also 1;
    on the same day, 0. Public holidays are not known here.
time to acknowledge
    ``acknowledged_at − submitted_at`` in working days, over the window's items that were
    acknowledged (median and 90th percentile, ``numpy.percentile`` with linear
    interpolation).
time to close
    submission to ``closed_at`` for closed items and to ``verified_at`` for verified ones
    (the submitter confirmed; only the formal close is left), over the window's items
    that are verified or closed. Closing a verified item moves its sample from the
    verification to the close.
closure rate
    ``(verified + closed) / (items submitted in the window − declined ones)``: of the
    feedback the program took on, the share whose loop is closed. Declined items are
    left out of both sides (they are answered, but nothing was done). ``None`` when the
    window has no item that counts.
open items
    the states the triage still has to finish: new, acknowledged, planned, implemented
    and verified (:data:`podium.feedback.models.OPEN_STATES`).
overdue (at ``today``, against the program's :class:`ServiceTarget`, default 5 and 30
working days)
    exactly the items the triage pages flag
    (:func:`podium.feedback.selectors.is_overdue`): still ``new`` more than
    ``acknowledge_days`` working days after submission (acknowledgement overdue), or
    still open more than ``close_days`` working days after it (closure overdue); an item
    that is both counts once. Overdue is about today, so every open item submitted up to
    the window's end counts, whenever it was submitted.
trends
    per month of submission (local time) and per stakeholder group (the group recorded
    on the item at submission, "No group" when empty) or per component (its code,
    "Program" when the item is about the program as a whole): the number of items, the
    mean rating of the rated ones, and the mean sentiment score of the texts.
sentiment
    :func:`sentiment_score`, a small lexicon scorer of our own: each positive word counts
    +1 and each negative word −1, flipped when one of the three words before it (in the
    same clause) is a negation ("not good" is −1, "never slow" +1); the score is the sum
    divided by the number of scored words, so it lies in −1..1 (0 when no word scores).
health
    :func:`feedback_health`, the rule in :data:`HEALTH_RULE`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone

from podium.feedback.access import is_team_side
from podium.feedback.models import OPEN_STATES, FeedbackItem, FeedbackState, ServiceTarget
from podium.feedback.selectors import due_dates, target_for, working_days_between
from podium.programs.models import Program

__all__ = [
    "HEALTH_RULE",
    "PERIOD_CHOICES",
    "Figures",
    "Health",
    "Spread",
    "TrendRow",
    "can_see_monitoring",
    "feedback_health",
    "figures",
    "monitoring",
    "month_start",
    "sentiment_score",
    "trend",
    "working_days",
]

S = FeedbackState
LOOP_CLOSED = (S.VERIFIED, S.CLOSED)
NO_GROUP = "No group"
WHOLE_PROGRAM = "Program"
# The monitoring page's period filter: months back from today.
PERIOD_CHOICES = (3, 6, 12)


def can_see_monitoring(user: Any, program: Program) -> bool:
    """The team side of the program (administrators, program and component managers, team
    members, viewers: those who see every item, :func:`podium.feedback.access.is_team_side`);
    not stakeholders, who see only the published reports."""
    return is_team_side(user, program)


# -- working days and spreads ---------------------------------------------------------------


def _local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date()
    return moment


def working_days(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> int:
    """Working days (Mon–Fri) after ``start``'s local date up to and including ``end``'s;
    0 when ``end`` is not after ``start``.

    >>> working_days(dt.date(2026, 3, 6), dt.date(2026, 3, 9))  # Friday → Monday
    1
    """
    return working_days_between(_local_date(start), _local_date(end))


@dataclass(frozen=True)
class Spread:
    """Median and 90th percentile of a set of durations (working days)."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(0, None, None)
        data = np.asarray(values, dtype=float)
        return cls(len(values), float(np.median(data)), float(np.percentile(data, 90)))


# -- sentiment --------------------------------------------------------------------------------

# Our own short word lists, written for feedback about programs and services.
_POSITIVE_WORDS = """
    good great excellent helpful clear easy quick quickly fast happy pleased improved
    improvement better best love like liked useful friendly safe comfortable thanks thank
    appreciate appreciated well responsive efficient reliable welcome satisfied smooth
    impressive positive calm clean quiet brilliant kind professional simple fixed
    helped informative convenient
"""
_NEGATIVE_WORDS = """
    bad poor slow late delayed delay delays confusing confused unclear difficult hard
    broken worse worst angry frustrated frustrating disappointed disappointing problem
    problems issue issues noisy dirty unsafe rude unhelpful expensive missing fail failed
    fails failure complaint annoying annoyed terrible awful crowded wrong lost ignored
    unhappy useless dangerous unreliable chaotic worried stressful cancelled
"""
_NEGATION_WORDS = "not no never hardly without nothing nobody neither nor cannot"


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


POSITIVE = _word_set(_POSITIVE_WORDS)
NEGATIVE = _word_set(_NEGATIVE_WORDS)
NEGATORS = _word_set(_NEGATION_WORDS)
NEGATION_REACH = 3
_CLAUSES = re.compile(r"[.,;:!?\n()]+|\bbut\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


def sentiment_score(text: str) -> float:
    """The text's tone in −1..1 from the word lists above (rules in the module docstring).

    >>> sentiment_score("The new signs are clear and helpful")
    1.0
    >>> sentiment_score("Parking is not good")
    -1.0
    >>> sentiment_score("Friendly staff, but the wait was slow")
    0.0
    """
    total = 0
    scored = 0
    for clause in _CLAUSES.split(text.lower().replace("’", "'")):
        words = _WORDS.findall(clause)
        for i, word in enumerate(words):
            polarity = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
            if not polarity:
                continue
            if any(_is_negator(w) for w in words[max(0, i - NEGATION_REACH) : i]):
                polarity = -polarity
            total += polarity
            scored += 1
    return total / scored if scored else 0.0


# -- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A window's figures (definitions in the module docstring)."""

    start: dt.date
    end: dt.date
    today: dt.date
    received: int
    declined: int
    loop_closed: int
    acknowledge: Spread
    close: Spread
    closure_rate: float | None
    open_items: int
    overdue: int
    overdue_acknowledge: int
    overdue_close: int
    acknowledge_target: int
    close_target: int
    mean_rating: float | None
    rated: int
    mean_sentiment: float | None

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.open_items if self.open_items else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "today": self.today.isoformat(),
            "received": self.received,
            "declined": self.declined,
            "loop_closed": self.loop_closed,
            "acknowledge": _spread_dict(self.acknowledge),
            "close": _spread_dict(self.close),
            "closure_rate": self.closure_rate,
            "open_items": self.open_items,
            "overdue": self.overdue,
            "overdue_acknowledge": self.overdue_acknowledge,
            "overdue_close": self.overdue_close,
            "acknowledge_target": self.acknowledge_target,
            "close_target": self.close_target,
            "mean_rating": self.mean_rating,
            "rated": self.rated,
            "mean_sentiment": self.mean_sentiment,
        }


def _spread_dict(spread: Spread) -> dict[str, Any]:
    return {"count": spread.count, "median": spread.median, "p90": spread.p90}


def _items(program: Program, items: QuerySet[FeedbackItem] | None) -> QuerySet[FeedbackItem]:
    base = FeedbackItem.objects.all() if items is None else items
    return base.filter(program=program)


def _window_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def in_window(items: QuerySet[FeedbackItem], start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Items submitted from ``start`` to ``end`` (both dates included, local time)."""
    first, after = _window_bounds(start, end)
    return items.filter(submitted_at__gte=first, submitted_at__lt=after)


def _closed_moment(item: FeedbackItem) -> dt.datetime | None:
    return item.closed_at if item.state == S.CLOSED else item.verified_at


def _overdue(item: FeedbackItem, today: dt.date, target: ServiceTarget) -> tuple[bool, bool]:
    """(acknowledgement overdue, closure overdue) of an open item, as
    :func:`podium.feedback.selectors.is_overdue` decides it."""
    due = due_dates(item, target)
    return item.state == S.NEW and today > due.acknowledge_by, today > due.close_by


def figures(
    program: Program,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    items: QuerySet[FeedbackItem] | None = None,
) -> Figures:
    """The window's figures for ``program`` (``items``: the caller's visible items; all
    the program's when None). Two queries."""
    today = today or timezone.localdate()
    target = target_for(program)
    scoped = _items(program, items).only(
        "program",
        "state",
        "rating",
        "text",
        "submitted_at",
        "acknowledged_at",
        "verified_at",
        "closed_at",
    )
    window = list(in_window(scoped, start, end))
    acknowledge = [
        working_days(i.submitted_at, i.acknowledged_at) for i in window if i.acknowledged_at
    ]
    close = [
        working_days(i.submitted_at, moment)
        for i in window
        if i.state in LOOP_CLOSED and (moment := _closed_moment(i)) is not None
    ]
    declined = sum(1 for i in window if i.state == S.DECLINED)
    loop_closed = sum(1 for i in window if i.state in LOOP_CLOSED)
    counted = len(window) - declined
    ratings = [i.rating for i in window if i.rating is not None]
    tones = [sentiment_score(i.text) for i in window]

    _, after = _window_bounds(start, end)
    open_items = list(scoped.filter(state__in=OPEN_STATES, submitted_at__lt=after))
    late = [_overdue(i, today, target) for i in open_items]
    return Figures(
        start=start,
        end=end,
        today=today,
        received=len(window),
        declined=declined,
        loop_closed=loop_closed,
        acknowledge=Spread.of(acknowledge),
        close=Spread.of(close),
        closure_rate=loop_closed / counted if counted else None,
        open_items=len(open_items),
        overdue=sum(1 for a, c in late if a or c),
        overdue_acknowledge=sum(1 for a, _ in late if a),
        overdue_close=sum(1 for _, c in late if c),
        acknowledge_target=target.acknowledge_days,
        close_target=target.close_days,
        mean_rating=float(np.mean(ratings)) if ratings else None,
        rated=len(ratings),
        mean_sentiment=float(np.mean(tones)) if tones else None,
    )


# -- trends ---------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_back(today: dt.date, months: int) -> dt.date:
    """The first day of the month ``months − 1`` months before ``today``'s (so 3 means
    this month and the two before it)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class TrendRow:
    """One key (a group or a component) in one month."""

    key: str
    month: dt.date
    count: int
    rated: int
    mean_rating: float | None
    mean_sentiment: float | None


def trend(
    program: Program,
    *,
    by: str,
    start: dt.date,
    end: dt.date,
    items: QuerySet[FeedbackItem] | None = None,
) -> list[TrendRow]:
    """Rating and sentiment per month and per ``by`` ("group" or "component"), sorted by
    key then month. One query."""
    if by not in ("group", "component"):
        raise ValueError(f"trend by {by!r}: use 'group' or 'component'")
    rows = in_window(_items(program, items), start, end).values_list(
        "group", "component__code", "submitted_at", "rating", "text"
    )
    buckets: dict[tuple[str, dt.date], list[tuple[int | None, float]]] = defaultdict(list)
    for group, component, submitted_at, rating, text in rows:
        key = (group or NO_GROUP) if by == "group" else (component or WHOLE_PROGRAM)
        buckets[(key, month_start(_local_date(submitted_at)))].append(
            (rating, sentiment_score(text))
        )
    out = []
    for (key, month), values in sorted(buckets.items()):
        ratings = [r for r, _ in values if r is not None]
        out.append(
            TrendRow(
                key=key,
                month=month,
                count=len(values),
                rated=len(ratings),
                mean_rating=float(np.mean(ratings)) if ratings else None,
                mean_sentiment=float(np.mean([s for _, s in values])),
            )
        )
    return out


def chart_data(rows: Iterable[TrendRow], value: str, reference: float | None) -> dict[str, Any]:
    """``rows`` as charts.js's ``trend`` kind: one series per key, points at each month
    (``value``: "mean_rating" or "mean_sentiment")."""
    series: dict[str, list[list[Any]]] = {}
    for row in rows:
        figure = getattr(row, value)
        series.setdefault(row.key, []).append(
            [row.month.isoformat(), round(figure, 3) if figure is not None else None]
        )
    return {
        "series": [
            {"key": f"fb-{i}", "name": name, "points": points}
            for i, (name, points) in enumerate(series.items())
        ],
        "reference": reference,
        "monthly": True,
    }


@dataclass
class Monitoring:
    """Everything the monitoring page and API show for one window."""

    figures: Figures
    by_group: list[TrendRow] = field(default_factory=list)
    by_component: list[TrendRow] = field(default_factory=list)
    health: Health | None = None

    def as_dict(self) -> dict[str, Any]:
        def rows(trend_rows: list[TrendRow]) -> list[dict[str, Any]]:
            return [
                {
                    "key": r.key,
                    "month": r.month.isoformat(),
                    "count": r.count,
                    "rated": r.rated,
                    "mean_rating": r.mean_rating,
                    "mean_sentiment": r.mean_sentiment,
                }
                for r in trend_rows
            ]

        return {
            "figures": self.figures.as_dict(),
            "by_group": rows(self.by_group),
            "by_component": rows(self.by_component),
            "health": self.health.as_dict() if self.health else None,
        }


def monitoring(
    program: Program,
    *,
    months: int = 6,
    today: dt.date | None = None,
    items: QuerySet[FeedbackItem] | None = None,
) -> Monitoring:
    """The figures, trends and health of the last ``months`` months (this one included)."""
    today = today or timezone.localdate()
    start = months_back(today, months)
    return Monitoring(
        figures=figures(program, start=start, end=today, today=today, items=items),
        by_group=trend(program, by="group", start=start, end=today, items=items),
        by_component=trend(program, by="component", start=start, end=today, items=items),
        health=feedback_health(program, today, items=items),
    )


# -- health ---------------------------------------------------------------------------------

HEALTH_WINDOW_DAYS = 90
OVERDUE_RED_SHARE = 0.2
HEALTH_RULE = (
    "Over the feedback submitted in the last 90 days and every item open today: red when "
    "more than 20% of the open items are overdue or the median time to acknowledge is "
    "over the target; amber when any item is overdue, the 90th percentile of the time to "
    "acknowledge is over the target or the median time to close is over the target; "
    "green otherwise (also when there is no feedback)."
)


@dataclass(frozen=True)
class Health:
    """Feedback health as a RAG status with the reason that decided it."""

    rag: str  # "red" | "amber" | "green"
    reason: str
    figures: Figures
    rule: str = HEALTH_RULE

    def as_dict(self) -> dict[str, Any]:
        return {"rag": self.rag, "reason": self.reason, "rule": self.rule}


def _days(value: float) -> str:
    return f"{value:g} working day{'s' if value != 1 else ''}"


def feedback_health(
    program: Program, today: dt.date | None = None, *, items: QuerySet[FeedbackItem] | None = None
) -> Health:
    """Red, amber or green by :data:`HEALTH_RULE`; ``reason`` names the figure that
    decided it. For the program dashboard."""
    today = today or timezone.localdate()
    f = figures(
        program,
        start=today - dt.timedelta(days=HEALTH_WINDOW_DAYS),
        end=today,
        today=today,
        items=items,
    )
    share = f.overdue_share
    ack, close = f.acknowledge, f.close
    if share is not None and share > OVERDUE_RED_SHARE:
        reason = f"{f.overdue} of {f.open_items} open items are overdue ({share:.0%}, over 20%)."
        return Health("red", reason, f)
    if ack.median is not None and ack.median > f.acknowledge_target:
        reason = (
            f"The median time to acknowledge is {_days(ack.median)}, over the target of "
            f"{_days(f.acknowledge_target)}."
        )
        return Health("red", reason, f)
    if f.overdue:
        return Health("amber", f"{f.overdue} of {f.open_items} open items are overdue.", f)
    if ack.p90 is not None and ack.p90 > f.acknowledge_target:
        reason = (
            f"One in ten items waits more than {_days(round(ack.p90, 1))} for an "
            f"acknowledgement (target {_days(f.acknowledge_target)})."
        )
        return Health("amber", reason, f)
    if close.median is not None and close.median > f.close_target:
        reason = (
            f"The median time to close is {_days(close.median)}, over the target of "
            f"{_days(f.close_target)}."
        )
        return Health("amber", reason, f)
    if not f.received and not f.open_items:
        return Health("green", "No feedback in the last 90 days and none open.", f)
    return Health("green", "Nothing overdue and the answers are within the targets.", f)
