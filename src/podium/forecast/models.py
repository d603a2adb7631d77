"""Forecast runs: one Monte Carlo simulation of a program's schedule, its inputs and its
stored results."""

from __future__ import annotations

from django.db import models

from podium.core.models import BaseModel
from podium.programs.models import Program

__all__ = ["ForecastRun"]


class ForecastRun(BaseModel):
    """One Monte Carlo forecast of a program, computed in the background.

    ``results`` (set when the run is ready; dates are wall-clock ISO strings
    ``YYYY-MM-DDTHH:MM``):

    * ``finish``: ``p10`` … ``p90`` (every ten) and ``mean``; ``deterministic``: the
      finish without uncertainty; ``probability_on_time`` (with a target);
    * ``histogram``: ``[[bin start, bin end, count], …]``; ``cumulative``:
      ``[[date, P(finish ≤ date)], …]``;
    * ``criticality``, ``sensitivity``, ``drivers``: the top activities, each with
      ``id``, ``code``, ``name``, ``component``, ``value`` (and for drivers
      ``criticality``, ``sensitivity``, ``risks``);
    * ``cost``: ``p10`` … ``p90`` and ``mean`` when the inputs carry costs, else null —
      shown only to users who may see costs;
    * ``milestones``: per chosen milestone ``id``, ``code``, ``name``, ``component``,
      ``deterministic`` and ``p10``/``p50``/``p80``/``p90``;
    * ``counts``: activities, uncertain activities, risk events, correlations;
      ``seconds``: simulation time.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="forecast_runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    iterations = models.PositiveIntegerField(default=10_000)
    seed = models.BigIntegerField()  # the seed used: the same seed gives the same results
    target = models.DateField(null=True, blank=True)  # finish target (end of that day)
    milestones = models.JSONField(default=list, blank=True)  # activity ids to follow
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"forecast of {self.program.code} #{self.pk} ({self.status})"
