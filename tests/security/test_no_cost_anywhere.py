"""A stakeholder sees no cost figure anywhere in the demo program (issue 12).

Costs are for program and component managers and administrators only
(:func:`podium.programs.permissions.can_see_costs`). The demo (HDT) has budgets, actual
costs, rates, earned value, forecasts, change requests with cost impact, timesheets
that booked cost and component updates with CPI. These tests collect every cost figure
the database holds, then walk, as a stakeholder:

- every GET operation of the OpenAPI document, with the demo's real ids and codes;
- the page of every object, and every page reachable from the program pages (links
  crawled within the programs the user belongs to, the lessons search, notifications,
  my work), bounded;
- every download linked from those pages or listed by the API (XLSX, PDF, ICS, CSV,
  JSON), with the text taken out of PDF and XLSX files.

No figure may appear, no earned value metric written with a number ("CPI 0.96"), and no
JSON key may name a cost field (not even with a null value). Round figures (rates of
110.00, reserves) are given cents first so that they can be told from other numbers.
The same walk as the program manager finds the figures and the keys: the search can
fail.

``tests/finance/test_no_cost_leak.py`` walks the finance API and pages on a small
program; this file walks everything else on the full demo.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client

from podium.accounts.models import User
from podium.core.api import api
from podium.demo import load_demo
from podium.programs.models import Program
from tests.conftest import ApiClient

# JSON keys that name a cost field. Compared with the whole key, lower case. Chosen so
# that no schedule, risk-score or feedback key matches: ``spi``/``spi_t`` (schedule),
# ``cost_score`` (the 1-5 impact score of a risk), ``cost_rag``/``cost_reason`` (the
# colour and words a component manager gives the cost dimension of an update) and
# ``response_rate``-like keys are not cost figures.
COST_KEYS = frozenset(
    {
        # budget and actual costs
        "cost", "costs", "budget", "budgets", "amount", "amounts", "actual_cost",
        "actual_costs", "booked_cost", "cost_impact", "budget_delta", "initial_budget",
        "management_reserve", "contingency", "reserve", "reserves",
        # resource rates
        "rate", "rates", "standard_rate", "overtime_rate", "cost_per_use",
        # earned value
        "bac", "eac", "etc", "ev", "ac", "pv", "cv", "vac", "cpi", "tcpi", "eac_cpi",
        "eac_sci", "bac_before", "bac_after", "bac_delta", "eac_before", "eac_after",
        "eac_delta",
        # money of benefits
        "expected_value", "value_at_risk",
    }
)  # fmt: skip
# JSON keys holding numbers that are cost figures although the key alone is not a cost
# field name (read only inside a "cost" object or an EVM row, see _json_figures).
_MONEY_INSIDE_COST = frozenset(
    {"low", "mode", "high", "mean", "base"} | {f"p{n}" for n in range(10, 100, 10)}
)

MAX_PAGES = 3000  # the crawl stops there (the demo has fewer pages as a stakeholder)
# Pages of one kind crawled at most: object pages (ids) and periods (dates, months,
# quarters, weeks: "next week" links go on forever).
MAX_PER_PATTERN = {"#": 60, "@": 6}
PERIOD = re.compile(r"\d{4}-(?:\d{2}-\d{2}|\d{2}|Q\d|W\d{2})")
MAX_PER_KIND = 15  # objects of one kind per program walked through the API
STAKEHOLDERS = ["sh.osei", "sh.nakamura"]  # sh.nakamura also chairs the program board

CENT = Decimal("0.01")
# A number as written in JSON, text or a formatted page: 1234567.89, 1,234,567.89, 1 234 567
NUMBER = re.compile(
    r"(?<![\d.])\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?"
)
# An earned value ratio or total written with its figure ("CPI 0.96", "EAC: 1,234"): too
# short to be looked for as a figure, as recognisable in words.
METRIC = re.compile(r"\b(?:CPI|TCPI|SPI\(t\)×CPI|EAC|BAC|ETC|VAC)\b\s*[:=]?\s*[-+]?\d[\d.,]*")
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.DOTALL)
EMBEDDED_JSON = re.compile(
    r"<script[^>]*type=[\"']application/json[\"'][^>]*>(.*?)</script>", re.DOTALL
)
LINK = re.compile(r"""(?:href|src|hx-get|data-url|data-src)\s*=\s*["']([^"'#]+)""")
DOWNLOAD_SUFFIXES = (".xlsx", ".pdf", ".ics", ".csv", ".json")


# --------------------------------------------------------------------------- figures


def _significant(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits) if value else 0


@dataclass
class Figures:
    """Cost figures of the demo as they may be written: exact to the cent, to one
    decimal, or whole (rounded or cut). Whole numbers only with 4 significant digits
    and from 5 digits (or written with a thousands separator), so that years, counts
    and round numbers do not match."""

    cents: dict[Decimal, str] = field(default_factory=dict)  # value -> where it comes from
    tenths: dict[Decimal, str] = field(default_factory=dict)
    whole: dict[int, str] = field(default_factory=dict)

    def add(self, raw: Any, source: str) -> None:
        try:
            value = abs(Decimal(str(raw)))
        except (InvalidOperation, ValueError):
            return
        value = value.quantize(CENT, ROUND_HALF_UP)
        if _significant(value) < 4:
            return
        self.cents.setdefault(value, source)
        self.tenths.setdefault(value.quantize(Decimal("0.1"), ROUND_HALF_UP), source)
        for whole in (int(value), int(value.quantize(Decimal(1), ROUND_HALF_UP))):
            if whole >= 1000 and _significant(Decimal(whole)) >= 4:
                self.whole.setdefault(whole, source)

    def __len__(self) -> int:
        return len(self.cents)

    def forget(self, ids: set[int]) -> int:
        """Drop the whole-number forms that are also the id of a stored row: an id in a
        link or an ``"id"`` field cannot be told from a figure written without cents (on
        PostgreSQL, sequences move on past rolled-back rows, so ids reach any size)."""
        clashes = ids & self.whole.keys()
        for whole in clashes:
            del self.whole[whole]
        return len(clashes)

    def find(self, text: str) -> list[str]:
        """The figures written in ``text`` (as "<number> (<source>)")."""
        found = []
        for match in NUMBER.finditer(text):
            written = match.group()
            digits = re.sub(r"[,\u00a0\u202f\u2009]", "", written)
            number = Decimal(digits)
            decimals = len(digits.partition(".")[2])
            if decimals == 2:
                source = self.cents.get(number)
            elif decimals == 1:
                source = self.tenths.get(number)
            elif decimals == 0 and (len(digits) >= 5 or digits != written):
                source = self.whole.get(int(number))
            else:
                source = None
            if source is not None:
                found.append(f"{written} ({source})")
        return found


def _json_figures(data: Any, figures: Figures, source: str, costly: bool = False) -> None:
    """Numbers under cost keys anywhere in ``data`` (a stored JSON document)."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = str(key).lower()
            inner = costly or name in COST_KEYS or name in ("cost", "metrics")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if name in COST_KEYS or (costly and name in _MONEY_INSIDE_COST):
                    figures.add(value, f"{source}.{name}")
            else:
                _json_figures(value, figures, f"{source}.{name}", inner)
    elif isinstance(data, list):
        for item in data:
            _json_figures(item, figures, source, costly)


def _sharpen_round_figures(programs: list[Program]) -> int:
    """Give round cost figures cents (110.00 -> 110.37), so that a rate or a reserve is
    distinctive enough to be looked for; returns how many values changed."""
    from podium.benefits.models import Benefit
    from podium.changes.models import ChangeLine
    from podium.finance.models import BudgetBaseline
    from podium.governance.models import ComponentAuthorization
    from podium.resources.models import Resource
    from podium.risks.models import RiskCostImpact

    changed = 0
    columns: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
        (Resource, "pk__gte", ("standard_rate", "overtime_rate", "cost_per_use")),
        (RiskCostImpact, "risk__program__in", ("low", "mode", "high")),
        (Benefit, "program__in", ("expected_value",)),
        (ComponentAuthorization, "component__program__in", ("initial_budget",)),
        (BudgetBaseline, "program__in", ("management_reserve", "contingency")),
        (ChangeLine, "change_request__program__in", ("amount",)),
    ]
    for model, scope, names in columns:
        value: Any = 0 if scope == "pk__gte" else programs
        for row in model._default_manager.filter(**{scope: value}).values("pk", *names):
            cents = Decimal(row["pk"] % 89 + 11) / 100
            update = {
                name: row[name] + cents
                for name in names
                if row[name] and _significant(row[name]) < 4
            }
            if update:
                changed += model._default_manager.filter(pk=row["pk"]).update(**update)
    return changed


def collect_figures(programs: list[Program]) -> Figures:
    """Every cost figure stored for ``programs`` or computed from them (earned value)."""
    from podium.benefits.models import Benefit
    from podium.changes.models import ChangeLine, ChangeRequest
    from podium.finance.evm import program_evm
    from podium.finance.models import (
        ActualCost,
        BudgetBaseline,
        BudgetChangeRequest,
        BudgetLine,
        StatusSnapshot,
    )
    from podium.forecast.models import ForecastRun
    from podium.governance.models import ComponentAuthorization
    from podium.resources.models import Resource
    from podium.risks.models import RiskCostImpact
    from podium.updates.models import ComponentUpdate

    figures = Figures()
    columns: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
        (BudgetLine, "baseline__program__in", ("amount",)),
        (BudgetBaseline, "program__in", ("management_reserve", "contingency")),
        (ActualCost, "program__in", ("amount",)),
        (RiskCostImpact, "risk__program__in", ("low", "mode", "high")),
        (ChangeLine, "change_request__program__in", ("amount",)),
        (ComponentAuthorization, "component__program__in", ("initial_budget",)),
        (Benefit, "program__in", ("expected_value",)),
        (Resource, "pk__gte", ("standard_rate", "overtime_rate", "cost_per_use")),
    ]
    for model, scope, names in columns:
        value: Any = 0 if scope == "pk__gte" else programs
        for row in model._default_manager.filter(**{scope: value}).values(*names):
            for name in names:
                if row[name] is not None:
                    figures.add(row[name], f"{model.__name__}.{name}")
    documents: list[tuple[str, Any]] = [
        *(("BudgetChangeRequest", c) for c in BudgetChangeRequest.objects.filter(
            program__in=programs).values_list("changes", flat=True)),
        *(("ChangeRequest.impact", c) for c in ChangeRequest.objects.filter(
            program__in=programs).values_list("impact", flat=True)),
        *(("StatusSnapshot", m) for m in StatusSnapshot.objects.filter(
            program__in=programs).values_list("metrics", flat=True)),
        *(("ForecastRun", {"cost": r.get("cost")}) for r in ForecastRun.objects.filter(
            program__in=programs).values_list("results", flat=True)),
        *(("ComponentUpdate.figures", f) for f in ComponentUpdate.objects.filter(
            component__program__in=programs).values_list("figures", flat=True)),
    ]  # fmt: skip
    for source, document in documents:
        _json_figures(document, figures, source)
    for program in programs:
        evm = program_evm(program)
        for row in [evm.program, *evm.components]:
            _json_figures(row.as_dict(), figures, f"EVM {row.key}")
    return figures


def _row_ids() -> set[int]:
    """The integer primary keys of every stored row."""
    ids: set[int] = set()
    for model in apps.get_models():
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            ids.update(model._default_manager.values_list("pk", flat=True))
    return ids


# --------------------------------------------------------------------------- walking


def cost_keys(data: Any) -> set[str]:
    """The cost field names used as keys anywhere in a JSON document."""
    if isinstance(data, dict):
        found = {k for k in data if str(k).lower() in COST_KEYS}
        for value in data.values():
            found |= cost_keys(value)
        return found
    if isinstance(data, list):
        return set().union(*(cost_keys(v) for v in data)) if data else set()
    return set()


def _loads(block: str) -> Any:
    """JSON embedded in a page (``json_script`` output, or escaped by the template)."""
    try:
        return json.loads(block)
    except json.JSONDecodeError:
        return json.loads(html.unescape(block))


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx_text(content: bytes) -> tuple[str, set[str]]:
    """The cells' text, and the header cells (first row of each sheet)."""
    from openpyxl import load_workbook

    cells, headers = [], set()
    for sheet in load_workbook(io.BytesIO(content), read_only=True).worksheets:
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            values = ["" if v is None else str(v) for v in row]
            cells.append("\t".join(values))
            if index == 0:
                headers |= set(values)
    return "\n".join(cells), headers


@dataclass
class Walk:
    """What one user saw: counts per kind of response and what it contained."""

    figures: Figures
    counts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    leaks: dict[str, list[str]] = field(default_factory=dict)  # url -> figures found
    keys: dict[str, set[str]] = field(default_factory=dict)  # url -> cost keys found
    headers: set[str] = field(default_factory=set)  # XLSX column titles
    errors: list[str] = field(default_factory=list)  # URLs that answered 5xx
    sections: Counter[str] = field(default_factory=Counter)  # pages per part of a program

    def read(self, url: str, response: Any) -> str:
        """Look at one response; returns its text (HTML for pages)."""
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(url)
        content = _body(response)
        kind = response.get("Content-Type", "").split(";")[0]
        path = urlsplit(url).path
        text = ""
        if content.startswith(b"%PDF"):
            self.counts["pdf"] += 1
            text = _pdf_text(content)
        elif content.startswith(b"PK"):
            self.counts["xlsx"] += 1
            text, headers = _xlsx_text(content)
            self.headers |= headers
        else:
            text = content.decode(errors="replace")
            if kind == "application/json":
                self.counts["json"] += 1
                found = cost_keys(json.loads(content)) if content else set()
                if found:
                    self.keys[url] = found
            elif kind == "text/calendar" or path.endswith(".ics"):
                self.counts["ics"] += 1
            elif kind == "text/csv" or path.endswith(".csv"):
                self.counts["csv"] += 1
            elif kind == "text/html":
                self.counts["html"] += 1
                for block in EMBEDDED_JSON.findall(text):  # chart data in the page
                    self.counts["embedded json"] += 1
                    found = cost_keys(_loads(block))
                    if found:
                        self.keys[url] = found
            else:
                self.counts[kind or "other"] += 1
        plain = html.unescape(TAGS.sub(" ", text) if kind == "text/html" else text)
        leaked = self.figures.find(html.unescape(text)) + METRIC.findall(" ".join(plain.split()))
        if leaked:
            self.leaks[url] = leaked
        return text


def _program_of(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its program code (None: not in a program)."""
    fields = model._meta.get_fields()
    if "program" in {f.name for f in fields}:
        return "program__code"
    for f in fields:
        parent = f.related_model if f.many_to_one else None
        if parent is not None and "program" in {g.name for g in parent._meta.get_fields()}:
            return f"{f.name}__program__code"
    return None


def _objects(
    model: type[models.Model], codes: list[str], value: str = "pk"
) -> list[tuple[str | None, Any]]:
    """(program code, value) of up to MAX_PER_KIND objects per program, first and last."""
    lookup = _program_of(model)
    out: list[tuple[str | None, Any]] = []
    if lookup is None:
        rows = list(model._default_manager.order_by("pk").values_list(value, flat=True))
        return [(None, v) for v in rows[: MAX_PER_KIND // 2] + rows[-MAX_PER_KIND // 2 :]]
    for code in codes:
        rows = list(
            model._default_manager.filter(**{lookup: code})
            .order_by("pk")
            .values_list(value, flat=True)
        )
        if len(rows) > MAX_PER_KIND:
            rows = rows[: MAX_PER_KIND // 2] + rows[-(MAX_PER_KIND - MAX_PER_KIND // 2) :]
        out += [(code, v) for v in rows]
    return out


def _pool() -> list[tuple[str | None, Any]]:
    """The organisation pool's resources (in no program)."""
    from podium.resources.models import Resource

    pks = Resource.objects.filter(program=None).order_by("pk").values_list("pk", flat=True)
    return [(None, pk) for pk in pks[:MAX_PER_KIND]]


def path_values(codes: list[str]) -> dict[str, list[tuple[str | None, Any]]]:
    """For each path parameter of the API, the demo's values (with their program)."""
    from podium.benefits.models import Benefit
    from podium.changes.models import ChangeRequest
    from podium.core.models import Job
    from podium.delivery.models import Deliverable, Evidence
    from podium.discussions.models import Comment, CommentAttachment
    from podium.exports.registry import exports
    from podium.feedback.models import FeedbackAction, FeedbackItem, PublishedReport
    from podium.finance.models import BudgetChangeRequest
    from podium.forecast.models import ForecastRun
    from podium.governance.models import Decision, GateReview
    from podium.lessons.models import Lesson, LessonSession
    from podium.meetings.models import Meeting
    from podium.programs.models import Component
    from podium.resources.models import Resource
    from podium.risks.models import Issue, Risk
    from podium.schedule.models import Activity, Baseline
    from podium.stakeholders.models import EngagementPlanItem, Stakeholder
    from podium.updates.models import ComponentUpdate
    from podium.work.models import Timesheet

    values: dict[str, list[tuple[str | None, Any]]] = {
        "code": [(c, c) for c in codes],
        "component_id": _objects(Component, codes),
        "component": _objects(Component, codes, "code"),
        "activity_id": _objects(Activity, codes),
        "baseline_id": _objects(Baseline, codes),
        "resource_id": _objects(Resource, codes) + _pool(),
        "risk_id": _objects(Risk, codes),
        "issue_id": _objects(Issue, codes),
        "deliverable_id": _objects(Deliverable, codes),
        "evidence_id": _objects(Evidence, codes),
        "benefit_id": _objects(Benefit, codes),
        "stakeholder_id": _objects(Stakeholder, codes),
        "feedback_item_id": _objects(FeedbackItem, codes),
        "action_id": _objects(FeedbackAction, codes),
        "review_id": _objects(GateReview, codes),
        "decision_id": _objects(Decision, codes),
        "cr_id": _objects(ChangeRequest, codes),
        "request_id": _objects(BudgetChangeRequest, codes),
        "run_id": _objects(ForecastRun, codes),
        "lesson_id": _objects(Lesson, codes),
        "session_id": _objects(LessonSession, codes),
        "meeting_id": _objects(Meeting, codes),
        "update_id": _objects(ComponentUpdate, codes),
        "pk": _objects(Timesheet, codes),
        "job_id": _objects(Job, codes),
        "attachment_id": _objects(CommentAttachment, codes),
        "key": [(None, e.key) for e in exports()] + [(None, "all")],
        "week": [(None, "2026-11-16"), (None, "2026-11-23")],
        "period": [
            (code, f"{start:%Y-%m}")
            for code, start in PublishedReport.objects.filter(program__code__in=codes)
            .values_list("program__code", "period_start")
        ] + [(None, "2026-Q3")],
        "stakeholder_id,item_id": [
            (code, (s, i))
            for code, s, i in EngagementPlanItem.objects.filter(
                stakeholder__program__code__in=codes
            ).values_list("stakeholder__program__code", "stakeholder_id", "pk")[:MAX_PER_KIND]
        ],
        "kind,object_id": [
            (code, (k, o))
            for code, k, o in Comment.objects.filter(program__code__in=codes)
            .values_list("program__code", "target_kind", "target_id")
            .distinct()[: 3 * MAX_PER_KIND]
        ],
    }  # fmt: skip
    return values


def api_urls(codes: list[str]) -> list[str]:
    """Every GET operation of the OpenAPI document, once per demo object it names."""
    values = path_values(codes)
    urls: list[str] = []
    for path, item in api.get_openapi_schema()["paths"].items():
        if "get" not in item:
            continue
        names = re.findall(r"{(\w+)}", path)
        if "item_id" in names:  # a feedback item, or a stakeholder's plan item
            names = [n for n in names if n != "stakeholder_id"]
            key = "stakeholder_id,item_id" if "stakeholder_id" in path else "feedback_item_id"
            names = [key if n == "item_id" else n for n in names]
        if "kind" in names:
            names = [n for n in names if n not in ("kind", "object_id")] + ["kind,object_id"]
        others = [n for n in names if n != "code"]
        assert len(others) <= 1, f"walk {path}: more than one object in the path"
        rows: list[tuple[str | None, Any]] = values[others[0]] if others else [(None, None)]
        for program, value in rows:
            fill: dict[str, Any] = {}
            if others:
                parts = others[0].split(",")
                fill.update(zip(parts, value if len(parts) > 1 else [value], strict=True))
            if "code" in names:
                for code in [program] if program else codes:
                    urls.append(_fill(path, {**fill, "code": code}))
            else:
                urls.append(_fill(path, fill))
    # the search: lessons by words a cost would be described with
    urls += [f"/api/v1/lessons?q={word}" for word in ("budget", "cost", "rate", "overrun")]
    return urls


def _fill(path: str, fill: dict[str, Any]) -> str:
    fill = {("item_id" if k in ("feedback_item_id",) else k): v for k, v in fill.items()}
    out = path.format(**{k: v for k, v in fill.items()})
    if path.endswith("/budget/compare"):
        out += "?a=1&b=2"
    if path.endswith("/updates/prefill"):
        out += "?component=1"
    return out


def detail_pages(codes: list[str]) -> list[str]:
    """The page of every object of the programs (up to MAX_PER_KIND per program and
    kind), whether or not a link leads there."""
    from podium.benefits.models import Benefit
    from podium.changes.models import ChangeRequest
    from podium.delivery.models import Deliverable
    from podium.discussions.models import Comment
    from podium.feedback.models import FeedbackItem
    from podium.finance.models import BudgetChangeRequest
    from podium.forecast.models import ForecastRun
    from podium.governance.models import GateReview
    from podium.lessons.models import Lesson, LessonSession
    from podium.meetings.models import Meeting
    from podium.programs.models import Component
    from podium.resources.models import LevelingRun
    from podium.risks.models import Issue, Risk
    from podium.stakeholders.models import Stakeholder
    from podium.updates.models import ComponentUpdate
    from podium.work.models import Timesheet

    pages: list[tuple[type[models.Model], str]] = [
        (Benefit, "benefits/{}/"), (ChangeRequest, "changes/{}/"),
        (ChangeRequest, "changes/{}/impact/"), (Deliverable, "deliverables/{}/"),
        (FeedbackItem, "feedback/{}/"), (ForecastRun, "forecast/{}/"),
        (GateReview, "governance/reviews/{}/"), (Lesson, "lessons/{}/"),
        (LessonSession, "lessons/sessions/{}/"), (Meeting, "meetings/{}/"),
        (Meeting, "meetings/{}/invite.ics"), (Component, "components/{}/"),
        (Component, "updates/component/{}/"), (Risk, "risks/{}/"), (Issue, "issues/{}/"),
        (Stakeholder, "stakeholders/{}/"), (ComponentUpdate, "updates/{}/"),
        (Timesheet, "timesheets/{}/"), (BudgetChangeRequest, "budget/changes/{}/"),
        (LevelingRun, "resources/leveling/{}/"),
    ]  # fmt: skip
    urls = [
        f"/programs/{code}/{page.format(pk)}"
        for model, page in pages
        for code, pk in _objects(model, codes)
    ]
    urls += [f"/programs/pool/resources/{pk}/" for _, pk in _pool()]
    threads = Comment.objects.filter(program__code__in=codes).values_list(
        "program__code", "target_kind", "target_id"
    )
    urls += [f"/programs/{c}/discussions/{k}/{pk}/" for c, k, pk in threads.distinct()]
    return list(dict.fromkeys(urls))


def walk_api(walk: Walk, user: User, urls: list[str]) -> None:
    client = ApiClient(user)
    client.client.raise_request_exception = False
    for url in urls:
        walk.counts["api"] += 1
        response = client.client.get(url, headers=client.headers)
        walk.read(url, response)
        if response.status_code == 200:
            walk.counts["api 200"] += 1


def crawl(walk: Walk, user: User, codes: list[str]) -> None:
    """Follow links from the program pages, within the user's programs and their own
    pages (lessons search, notifications, my work); every download is read too."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    roots = tuple(f"/programs/{code}/" for code in codes)
    allowed = (*roots, "/programs/pool/", "/lessons/", "/notifications/", "/my-work/", "/jobs/")
    details = detail_pages(codes)
    walk.counts["object pages"] = len(details)
    queue = [*roots, "/programs/", "/lessons/?q=budget", "/lessons/?q=cost",
             "/lessons/?q=overrun", "/notifications/", "/my-work/", *details]  # fmt: skip
    seen = set(queue)
    variants: Counter[str] = Counter()
    patterns: Counter[str] = Counter()
    while queue and walk.counts["pages"] < MAX_PAGES:
        url = queue.pop(0)
        walk.counts["pages"] += 1
        parts = urlsplit(url).path.split("/")
        walk.sections[parts[3] if parts[1] == "programs" and len(parts) > 4 else parts[1]] += 1
        response = client.get(url)
        text = walk.read(url, response)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(text):
            link = html.unescape(link)
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(allowed) or link in seen:
                continue
            variants[parts.path] += 1
            if parts.query and variants[parts.path] > 4:
                continue  # enough sort orders and filters of one list
            pattern = re.sub(r"/\d+(?=/|\.|$)", "/#", PERIOD.sub("@", parts.path))
            patterns[pattern] += 1
            if any(patterns[pattern] > n for mark, n in MAX_PER_PATTERN.items() if mark in pattern):
                walk.counts["links skipped"] += 1
                continue
            seen.add(link)
            queue.append(link)
    walk.counts["links left"] = len(queue)


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo, loaded once for the module and rolled back afterwards, with its cost
    figures and the API URLs to walk."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        assert load_demo() is True
        loaded = time.monotonic() - started
        codes = list(
            Program.objects.filter(code__in=["HDT", "EPR-2023"]).values_list("code", flat=True)
        )
        programs = list(Program.objects.filter(code__in=codes))
        sharpened = _sharpen_round_figures(programs)
        figures = collect_figures(programs)
        forgotten = figures.forget(_row_ids())
        yield {"codes": codes, "figures": figures, "urls": api_urls(codes), "load": loaded,
               "sharpened": sharpened, "forgotten": forgotten}  # fmt: skip
        transaction.set_rollback(True)


def _walk(demo: dict[str, Any], username: str) -> Walk:
    user = User.objects.get(username=username)
    codes = [
        c for c in demo["codes"] if Program.objects.filter(code=c, memberships__user=user).exists()
    ]
    walk = Walk(demo["figures"])
    started = time.monotonic()
    walk_api(walk, user, demo["urls"])
    crawl(walk, User.objects.get(username=username), codes)
    walk.counts["seconds"] = round(time.monotonic() - started)
    print(f"\n{username}: {dict(walk.counts)}, statuses {dict(walk.statuses)}")
    print(f"pages by section: {dict(walk.sections.most_common())}")
    return walk


def test_the_demo_has_cost_figures_to_look_for(demo: dict[str, Any], db: Any) -> None:
    figures: Figures = demo["figures"]
    sources = Counter(s.split(".")[0].split(" ")[0] for s in figures.cents.values())
    print(f"\n{len(figures)} figures: {dict(sources)}; {demo['sharpened']} rows given cents; "
          f"{demo['forgotten']} whole forms equal to a row id left out; "
          f"demo loaded in {demo['load']:.0f} s")  # fmt: skip
    assert len(figures) >= 200
    for source in ("BudgetLine", "BudgetBaseline", "ActualCost", "Resource", "RiskCostImpact",
                   "Benefit", "ComponentAuthorization", "ChangeLine", "EVM", "ForecastRun",
                   "ChangeRequest", "ComponentUpdate", "StatusSnapshot"):  # fmt: skip
        assert sources[source] >= 1, f"no cost figure from {source}"
    assert len(demo["urls"]) >= 300


def test_the_program_manager_sees_the_costs(demo: dict[str, Any], db: Any) -> None:
    """The control: the same walk as the program manager finds the figures and keys."""
    walk = _walk(demo, "pm.alvarez")
    assert walk.counts["api 200"] >= 150 and walk.counts["html"] >= 150
    api_leaks = [u for u in walk.leaks if u.startswith("/api/")]
    page_leaks = [u for u in walk.leaks if not u.startswith("/api/")]
    assert len(api_leaks) >= 20 and len(page_leaks) >= 20
    assert any(u.endswith(".xlsx") for u in walk.leaks)
    assert any(u.endswith(".pdf") for u in walk.leaks)
    found_keys = set().union(*walk.keys.values())
    assert {"bac", "eac", "cpi", "amount", "standard_rate", "initial_budget", "cost"} <= found_keys
    hits = [s for found in walk.leaks.values() for s in found]
    sources = {s.rsplit("(", 1)[1] for s in hits if s.endswith(")")}
    assert any(METRIC.fullmatch(s) for s in hits)  # "CPI 1.02" and the like
    for source in ("BudgetLine.amount", "ActualCost.amount", "Resource.standard_rate"):
        assert any(s.startswith(source) for s in sources), source


@pytest.mark.parametrize("username", STAKEHOLDERS)
def test_a_stakeholder_sees_no_cost_anywhere(demo: dict[str, Any], db: Any, username: str) -> None:
    walk = _walk(demo, username)
    assert walk.counts["api"] >= 300 and walk.counts["api 200"] >= 150
    assert walk.counts["html"] >= 150
    assert walk.counts["json"] >= 150
    assert walk.counts["xlsx"] >= 5 and walk.counts["pdf"] >= 1 and walk.counts["ics"] >= 1
    assert walk.leaks == {}, "cost figures shown:\n" + "\n".join(
        f"{url}: {found[:5]}" for url, found in walk.leaks.items()
    )
    assert walk.keys == {}, "cost fields in JSON:\n" + "\n".join(
        f"{url}: {sorted(found)}" for url, found in walk.keys.items()
    )
    assert walk.errors == [], "server errors (a page that fails may hide a leak)"
    money = {"Standard rate", "Cost most likely", "Expected value", "Cost change"}
    assert walk.headers and not walk.headers & money
