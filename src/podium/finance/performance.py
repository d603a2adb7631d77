"""How the Performance page shows earned value: RAG ratings and the charts' data.

Presentation only; the figures come from :mod:`podium.finance.evm`.

RAG thresholds
--------------
Performance indices (SPI, CPI, SPI(t)) are good when high: green at
:data:`INDEX_GREEN` (0.95) or more, amber at :data:`INDEX_AMBER` (0.90) or more, red
below. TCPI (the cost efficiency the remaining work needs to end on budget) is good when
low: green up to 1.05, amber up to 1.10, red above. An index that is not defined (no
planned value yet, no actual cost yet) is not rated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "INDEX_AMBER",
    "INDEX_GREEN",
    "RULES",
    "TCPI_AMBER",
    "TCPI_GREEN",
    "Rag",
    "RagRule",
    "rate",
    "s_curve_chart",
    "trend_chart",
]

INDEX_GREEN = 0.95
INDEX_AMBER = 0.90
TCPI_GREEN = 1.05
TCPI_AMBER = 1.10

Colour = Literal["green", "amber", "red", "none"]


@dataclass(frozen=True)
class RagRule:
    """Green/amber/red for one metric; ``higher_is_better`` says which way the
    thresholds point."""

    metric: str
    green: float
    amber: float
    higher_is_better: bool = True

    def colour(self, value: float | None) -> Colour:
        if value is None:
            return "none"
        if self.higher_is_better:
            return "green" if value >= self.green else "amber" if value >= self.amber else "red"
        return "green" if value <= self.green else "amber" if value <= self.amber else "red"

    @property
    def text(self) -> str:
        """The rule as a person reads it (shown as the cell's tooltip)."""
        if self.higher_is_better:
            return (
                f"{self.metric}: green ≥ {self.green:.2f}, amber ≥ {self.amber:.2f}, "
                f"red below {self.amber:.2f}"
            )
        return (
            f"{self.metric}: green ≤ {self.green:.2f}, amber ≤ {self.amber:.2f}, "
            f"red above {self.amber:.2f}"
        )


RULES: dict[str, RagRule] = {
    "spi": RagRule("SPI", INDEX_GREEN, INDEX_AMBER),
    "cpi": RagRule("CPI", INDEX_GREEN, INDEX_AMBER),
    "spi_t": RagRule("SPI(t)", INDEX_GREEN, INDEX_AMBER),
    "tcpi": RagRule("TCPI", TCPI_GREEN, TCPI_AMBER, higher_is_better=False),
}


@dataclass(frozen=True)
class Rag:
    """One rated figure: its value, colour and the rule that gave the colour."""

    value: float | None
    colour: Colour
    rule: str

    @property
    def label(self) -> str:
        return {"green": "Green", "amber": "Amber", "red": "Red", "none": "Not rated"}[self.colour]

    @property
    def title(self) -> str:
        if self.value is None:
            return f"{self.rule} (not defined yet, so not rated)"
        return self.rule


def rate(metric: str, value: float | None) -> Rag:
    """``value`` of ``metric`` (a key of :data:`RULES`) rated by its rule.

    >>> rate("cpi", 0.93).colour, rate("tcpi", 0.93).colour, rate("spi", None).colour
    ('amber', 'green', 'none')
    """
    rule = RULES[metric]
    return Rag(value, rule.colour(value), rule.text)


# -- chart data (read by static/podium/charts.js) ---------------------------------------


def _day(value: dt.date | dt.datetime | str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def s_curve_chart(curve: Any) -> dict[str, Any]:
    """The ``s-curve`` chart's data from an :class:`~podium.finance.evm.SCurve`: PV over
    the whole plan, EV and AC up to the status date, the forecast (AC at the status date
    to the EAC at the forecast finish) as the dashed projection."""
    points = list(curve.points)
    series = [
        {
            "key": key,
            "name": name,
            "points": [
                [_day(p.date), _num(getattr(p, key))] for p in points if getattr(p, key) is not None
            ],
        }
        for key, name in (
            ("pv", "Planned value (PV)"),
            ("ev", "Earned value (EV)"),
            ("ac", "Actual cost (AC)"),
        )
    ]
    forecast = [[_day(p.date), _num(p.forecast)] for p in points if p.forecast is not None]
    return {
        "unit": curve.currency,
        "data_date": _day(curve.status_date),
        "series": series,
        "projection": (
            {"name": "Forecast to EAC", "points": forecast} if len(forecast) > 1 else None
        ),
    }


def trend_chart(snapshots: Iterable[Any]) -> dict[str, Any]:
    """The ``trend`` chart's data: CPI, SPI and SPI(t) of each snapshot (with
    ``status_date``, ``cpi``, ``spi``, ``spi_t``), oldest first, and the 1.0 line."""
    rows = sorted(snapshots, key=lambda s: s.status_date)
    return {
        "reference": 1.0,
        "series": [
            {
                "key": key,
                "name": name,
                "points": [[_day(s.status_date), _num(getattr(s, key))] for s in rows],
            }
            for key, name in (("cpi", "CPI"), ("spi", "SPI"), ("spi_t", "SPI(t)"))
        ],
    }
