"""Page forms of the risk and issue registers. They only parse input; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from podium.accounts.models import User
from podium.programs.models import Component, Program
from podium.risks.models import (
    ActionStatus,
    DistributionKind,
    IssuePriority,
    IssueStatus,
    RiskKind,
    RiskStatus,
    Strategy,
)
from podium.schedule.models import Activity

SCORES = [(n, str(n)) for n in range(1, 6)]
KINDS = [("", "— none —"), *DistributionKind.choices]


class DateInput(forms.DateInput):
    input_type = "date"


def _members(program: Program) -> Any:
    return User.objects.filter(memberships__program=program, is_active=True).order_by("username")


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    field.queryset = queryset


def _hours(**kwargs: Any) -> forms.FloatField:
    return forms.FloatField(min_value=0, required=False, **kwargs)


class RiskForm(forms.Form):
    title = forms.CharField(max_length=200)
    code = forms.CharField(max_length=20, required=False, help_text="empty: the next R-nnn")
    component = forms.ModelChoiceField(
        queryset=Component.objects.none(), required=False, empty_label="— program level —"
    )
    kind = forms.ChoiceField(choices=RiskKind.choices)
    cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    event = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    effect = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    probability = forms.FloatField(
        min_value=0, max_value=1, initial=0.5, label="Probability (0–1)",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )  # fmt: skip
    schedule_score = forms.TypedChoiceField(
        choices=SCORES, coerce=int, initial=3, label="Schedule impact (1–5)"
    )
    cost_score = forms.TypedChoiceField(
        choices=SCORES, coerce=int, initial=3, label="Cost impact (1–5)"
    )
    duration_kind = forms.ChoiceField(
        choices=KINDS, required=False, label="Duration impact distribution"
    )
    duration_low = _hours(label="Low (working hours)")
    duration_mode = _hours(label="Most likely (working hours; lognormal: median)")
    duration_high = _hours(label="High (working hours; lognormal: 90th percentile)")
    activities = forms.ModelMultipleChoiceField(
        queryset=Activity.objects.none(), required=False, label="Activities it delays",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    strategy = forms.ChoiceField(choices=Strategy.choices, initial=Strategy.ACCEPT)
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(
        choices=[(RiskStatus.OPEN, "Open"), (RiskStatus.CLOSED, "Closed")], initial="open"
    )
    cost_kind = forms.ChoiceField(choices=KINDS, required=False, label="Cost impact distribution")
    cost_low = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    cost_mode = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    cost_high = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    COST_FIELDS = ("cost_kind", "cost_low", "cost_mode", "cost_high")

    def __init__(self, *args: Any, program: Program, with_costs: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "component", program.components.order_by("code"))
        _set_queryset(self, "owner", _members(program))
        _set_queryset(
            self,
            "activities",
            Activity.objects.filter(program=program)
            .exclude(kind=Activity.Kind.SUMMARY)
            .select_related("component")
            .order_by("component__code", "order"),
        )
        self.fields["activities"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.component.code} · {a.name}"
        )
        if not with_costs:
            for name in self.COST_FIELDS:
                del self.fields[name]

    def service_fields(self) -> tuple[dict[str, Any], dict[str, Any] | None, bool]:
        """(risk fields, cost impact or None, whether cost fields were on the form)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        with_costs = "cost_kind" in data
        cost: dict[str, Any] | None = None
        if with_costs:
            kind = data.pop("cost_kind")
            values = {n: data.pop(f"cost_{n}") for n in ("low", "mode", "high")}
            if kind:
                cost = {"kind": kind, **values}
        if data["duration_kind"]:
            if data["duration_mode"] is None:
                data["duration_mode"] = data["duration_low"]
        else:
            data.update(duration_low=None, duration_mode=None, duration_high=None)
        data["activities"] = list(data["activities"])
        return data, cost, with_costs


class ActionForm(forms.Form):
    description = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=DateInput)
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.PLANNED)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "owner", _members(program))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why escalate?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OccurForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_date = forms.DateField(required=False, widget=DateInput, label="Issue due")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IssueForm(forms.Form):
    title = forms.CharField(max_length=200)
    code = forms.CharField(max_length=20, required=False, help_text="empty: the next I-nnn")
    component = forms.ModelChoiceField(
        queryset=Component.objects.none(), required=False, empty_label="— program level —"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    priority = forms.ChoiceField(choices=IssuePriority.choices, initial=IssuePriority.MEDIUM)
    due_date = forms.DateField(required=False, widget=DateInput)
    status = forms.ChoiceField(choices=IssueStatus.choices, initial=IssueStatus.OPEN)
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "component", program.components.order_by("code"))
        _set_queryset(self, "owner", _members(program))


class EstimateForm(forms.Form):
    """One activity's three-point estimate, entered in working hours."""

    kind = forms.ChoiceField(choices=DistributionKind.choices)
    optimistic = forms.DecimalField(min_value=0, decimal_places=2, max_digits=9)
    most_likely = forms.DecimalField(min_value=0, decimal_places=2, max_digits=9)
    pessimistic = forms.DecimalField(min_value=0, decimal_places=2, max_digits=9)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def minutes(self) -> dict[str, int]:
        return {
            name: int((Decimal(self.cleaned_data[name]) * 60).to_integral_value())
            for name in ("optimistic", "most_likely", "pessimistic")
        }


class CorrelationForm(forms.Form):
    activity_a = forms.ModelChoiceField(queryset=Activity.objects.none(), label="Activity")
    activity_b = forms.ModelChoiceField(queryset=Activity.objects.none(), label="with")
    rho = forms.FloatField(
        min_value=-1, max_value=1, label="Rank correlation (−1…1)",
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )  # fmt: skip

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activities = (
            Activity.objects.filter(program=program)
            .exclude(kind=Activity.Kind.SUMMARY)
            .select_related("component")
            .order_by("component__code", "order")
        )
        for name in ("activity_a", "activity_b"):
            _set_queryset(self, name, activities)
            self.fields[name].label_from_instance = (  # type: ignore[attr-defined]
                lambda a: f"{a.component.code} · {a.name}"
            )
