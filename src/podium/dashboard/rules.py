"""RAG rules of the program dashboard: one colour per dimension from plain figures.

Pure functions (no Django, no database): :mod:`podium.dashboard.selectors` gathers the
figures. Each function returns a :class:`Rating` — the colour, a headline saying which
figure decided it, and the rule in words with its thresholds (shown on the tile).
A dimension without data is ``grey``. Where a dimension has several signals, the worst
colour wins (red over amber over green).

Thresholds
----------
- Performance indices (SPI(t), CPI): green at 0.95 or more, amber at 0.90 or more, red
  below — the thresholds of the Performance page (:mod:`podium.finance.performance`).
- Total float of the critical path: red below zero (the network finishes after a
  deadline or constraint), amber below :data:`FLOAT_AMBER_DAYS` working days.
- Key milestone slip against the schedule baseline: amber beyond
  :data:`SLIP_AMBER_DAYS`, red beyond :data:`SLIP_RED_DAYS` calendar days.
- EAC against BAC: amber above :data:`EAC_AMBER` (5 % over budget), red above
  :data:`EAC_RED` (10 % over).
- Deliverables: red when one is rejected (back in production) or late by more than
  :data:`LATE_RED_DAYS` days, amber when any is late (its milestone's date has passed
  and it is not delivered).
- Benefits: red when one is off track, amber when one is at risk.
- Risks: red when an open high threat (probability score × impact score above
  :data:`HIGH_RISK_SCORE`) has no owner or no response, amber when an open risk is
  escalated or open high threats remain (all with owner and response).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EAC_AMBER",
    "EAC_RED",
    "FLOAT_AMBER_DAYS",
    "HIGH_RISK_SCORE",
    "INDEX_AMBER",
    "INDEX_GREEN",
    "LATE_RED_DAYS",
    "RAGS",
    "SLIP_AMBER_DAYS",
    "SLIP_RED_DAYS",
    "Rating",
    "benefits_rating",
    "cost_rating",
    "deliverables_rating",
    "index_colour",
    "risks_rating",
    "schedule_rating",
    "worst",
]

INDEX_GREEN = 0.95
INDEX_AMBER = 0.90
FLOAT_AMBER_DAYS = 5.0
SLIP_AMBER_DAYS = 5.0
SLIP_RED_DAYS = 20.0
EAC_AMBER = 1.05
EAC_RED = 1.10
LATE_RED_DAYS = 14
HIGH_RISK_SCORE = 12

RAGS = ("green", "amber", "red", "grey")
_RANK = {"grey": 0, "green": 1, "amber": 2, "red": 3}

SCHEDULE_RULE = (
    f"Worst of: SPI(t) green at {INDEX_GREEN:.2f} or more, amber at {INDEX_AMBER:.2f} or "
    f"more, red below; total float of the critical path red below 0, amber below "
    f"{FLOAT_AMBER_DAYS:g} working days; key milestones' slip against the schedule baseline "
    f"amber over {SLIP_AMBER_DAYS:g} days, red over {SLIP_RED_DAYS:g} days. Grey without "
    "earned value, float or baseline."
)
COST_RULE = (
    f"Worst of: CPI green at {INDEX_GREEN:.2f} or more, amber at {INDEX_AMBER:.2f} or more, "
    f"red below; EAC against BAC amber over {EAC_AMBER:.0%} (5% over budget), red over "
    f"{EAC_RED:.0%} (10% over). Grey without a budget."
)
DELIVERABLES_RULE = (
    f"Red when a deliverable is rejected (back in production) or late by more than "
    f"{LATE_RED_DAYS} days; amber when any is late (its milestone's date has passed and it "
    "is not delivered); green otherwise. Grey without deliverables."
)
BENEFITS_RULE = (
    "Red when a benefit is off track, amber when one is at risk, green otherwise. Grey "
    "when no benefit is measured yet."
)
RISKS_RULE = (
    f"High threat: probability score x impact score above {HIGH_RISK_SCORE}. Red when an "
    "open high threat has no owner or no response; amber when an open risk is escalated or "
    "open high threats remain (all with owner and response); green otherwise. Grey "
    "without risks."
)


@dataclass(frozen=True)
class Rating:
    rag: str  # green | amber | red | grey
    headline: str
    rule: str


def worst(*colours: str) -> str:
    """The worst of the colours (red > amber > green > grey); grey when none is rated."""
    return max(colours, key=lambda c: _RANK[c], default="grey")


def index_colour(value: float | None) -> str:
    """An index that is good when high (SPI, CPI), as the Performance page rates it."""
    if value is None:
        return "grey"
    return "green" if value >= INDEX_GREEN else "amber" if value >= INDEX_AMBER else "red"


def _float_colour(days: float | None) -> str:
    if days is None:
        return "grey"
    return "red" if days < 0 else "amber" if days < FLOAT_AMBER_DAYS else "green"


def _slip_colour(days: float | None) -> str:
    if days is None:
        return "grey"
    return "red" if days > SLIP_RED_DAYS else "amber" if days > SLIP_AMBER_DAYS else "green"


def _days(value: float) -> str:
    return f"{value:+g} d"


def schedule_rating(
    spi_t: float | None,
    critical_float_days: float | None,
    worst_slip_days: float | None,
    finish: str | None = None,
) -> Rating:
    """``critical_float_days``: the least total float of the open activities (working
    days); ``worst_slip_days``: the largest finish variance of a key milestone against
    the schedule baseline (calendar days, positive = later); ``finish``: the forecast
    finish (ISO date) for the headline."""
    colour = worst(
        index_colour(spi_t), _float_colour(critical_float_days), _slip_colour(worst_slip_days)
    )
    parts = []
    if spi_t is not None:
        parts.append(f"SPI(t) {spi_t:.2f}")
    if finish:
        parts.append(f"finish {finish}")
    if worst_slip_days is not None:
        parts.append(f"milestone slip {_days(round(worst_slip_days, 1))}")
    if critical_float_days is not None:
        parts.append(f"critical float {critical_float_days:g} d")
    headline = ", ".join(parts) if parts else "No schedule data yet"
    return Rating(colour, headline, SCHEDULE_RULE)


def cost_rating(
    cpi: float | None, eac: float | None, bac: float | None, currency: str = ""
) -> Rating:
    if not bac:
        return Rating("grey", "No budget yet", COST_RULE)
    ratio = eac / bac if eac is not None else None
    eac_colour = (
        "grey"
        if ratio is None
        else "red"
        if ratio > EAC_RED
        else "amber"
        if ratio > EAC_AMBER
        else "green"
    )
    colour = worst(index_colour(cpi), eac_colour)
    unit = f" {currency}" if currency else ""
    parts = []
    if cpi is not None:
        parts.append(f"CPI {cpi:.2f}")
    if eac is not None:
        parts.append(f"EAC {eac:,.0f}{unit} of BAC {bac:,.0f}{unit}")
    return Rating(colour, ", ".join(parts) or f"BAC {bac:,.0f}{unit}", COST_RULE)


def deliverables_rating(total: int, late_days: list[int], rejected: int) -> Rating:
    """``late_days``: days late of each late deliverable."""
    if total == 0:
        return Rating("grey", "No deliverables yet", DELIVERABLES_RULE)
    very_late = [d for d in late_days if d > LATE_RED_DAYS]
    if rejected or very_late:
        colour = "red"
    elif late_days:
        colour = "amber"
    else:
        colour = "green"
    parts = [f"{len(late_days)} late", f"{rejected} rejected", f"of {total}"]
    if late_days:
        parts.append(f"latest {max(late_days)} d overdue")
    return Rating(colour, ", ".join(parts), DELIVERABLES_RULE)


def benefits_rating(counts: dict[str, int]) -> Rating:
    """``counts``: benefits per status (not_measured, on_track, at_risk, off_track)."""
    off, at_risk, on = (
        counts.get("off_track", 0),
        counts.get("at_risk", 0),
        counts.get("on_track", 0),
    )
    if off + at_risk + on == 0:
        total = sum(counts.values())
        headline = f"{total} benefits, none measured yet" if total else "No benefits yet"
        return Rating("grey", headline, BENEFITS_RULE)
    colour = "red" if off else "amber" if at_risk else "green"
    headline = f"{on} on track, {at_risk} at risk, {off} off track"
    return Rating(colour, headline, BENEFITS_RULE)


def risks_rating(total: int, open_risks: int, high: int, high_bare: int, escalated: int) -> Rating:
    """``total``: risks in the register (any status); ``high``: open high threats;
    ``high_bare``: those without owner or response; ``escalated``: open escalated risks."""
    if total == 0:
        return Rating("grey", "No risks registered", RISKS_RULE)
    colour = "red" if high_bare else "amber" if (escalated or high) else "green"
    headline = (
        f"{open_risks} open, {high} high ({high_bare} without owner or response), "
        f"{escalated} escalated"
    )
    return Rating(colour, headline, RISKS_RULE)
