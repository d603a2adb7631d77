from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from podium.programs.schemas import JobOut

__all__ = ["ForecastIn", "ForecastOut"]


class ForecastIn(Schema):
    iterations: int = Field(10_000, ge=100, le=100_000)
    seed: int | None = Field(None, ge=0, description="Omit for a new seed; stored with the run.")
    target: dt.date | None = Field(None, description="Finish target: probability of meeting it.")
    milestones: list[int] | None = Field(
        None, description="Activity ids whose finish to forecast (default: the milestones)."
    )


class ForecastOut(Schema):
    id: int
    program: str
    status: str
    iterations: int
    seed: int
    target: dt.date | None
    milestones: list[int]
    created_at: dt.datetime
    created_by: str | None
    error: str
    job: JobOut | None
    results: dict[str, Any] = Field(
        description="P10…P90 and mean finish, deterministic finish, probability on time, "
        "histogram, cumulative curve, criticality, sensitivity, drivers of the P80, "
        "milestones; cost percentiles only for users who may see costs."
    )
