"""Page forms of the benefits register. They only parse input; services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from podium.accounts.models import User
from podium.benefits.models import BenefitCategory, Direction
from podium.delivery.models import Deliverable
from podium.programs.models import Component, Goal, Program

__all__ = ["BenefitForm", "DescopeForm", "MeasurementForm", "parse_targets"]


class DateInput(forms.DateInput):
    input_type = "date"


def parse_targets(text: str) -> list[tuple[dt.date, float]]:
    """One target a line, ``YYYY-MM-DD value`` (a comma or semicolon also separates)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace(",", " ").replace(";", " ").strip()
        if not line:
            continue
        parts = line.split()
        try:
            if len(parts) != 2:
                raise ValueError
            out.append((dt.date.fromisoformat(parts[0]), float(parts[1])))
        except ValueError as exc:
            raise forms.ValidationError(
                f"Line {number}: write a date and a value, e.g. 2027-06-30 40."
            ) from exc
    return out


class BenefitForm(forms.Form):
    name = forms.CharField(max_length=200)
    code = forms.CharField(max_length=20, required=False, help_text="empty: the next B-nnn")
    category = forms.ChoiceField(choices=BenefitCategory.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), required=False)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    sustainment_owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False,
        help_text="keeps the benefit coming after the program closes",
    )  # fmt: skip
    deliverables = forms.ModelMultipleChoiceField(
        queryset=Deliverable.objects.none(), required=False
    )
    components = forms.ModelMultipleChoiceField(
        queryset=Component.objects.none(), required=False,
        help_text="link a component directly when its deliverables are not defined yet",
    )  # fmt: skip
    kpi = forms.CharField(label="KPI", max_length=200)
    unit = forms.CharField(max_length=40, required=False)
    measurement_method = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    direction = forms.ChoiceField(choices=Direction.choices)
    baseline_value = forms.FloatField()
    baseline_date = forms.DateField(widget=DateInput)
    targets = forms.CharField(
        label="Realization profile", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-06-30 40\n2027-12-31 60"}),
        help_text="one target a line: date and KPI value",
    )  # fmt: skip
    at_risk_pct = forms.FloatField(min_value=0, initial=5.0, label="At risk above (% shortfall)")
    off_track_pct = forms.FloatField(
        min_value=0, initial=15.0, label="Off track above (% shortfall)"
    )
    expected_value = forms.DecimalField(min_value=0, decimal_places=2, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, program: Program, with_value: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__program=program, is_active=True).order_by(
            "username"
        )
        for name, qs in (
            ("goal", program.goals.order_by("order", "pk")),
            ("owner", members),
            ("sustainment_owner", members),
            ("deliverables", Deliverable.objects.filter(program=program).order_by("code")),
            ("components", program.components.order_by("code")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
            field.queryset = qs
        if not with_value:
            del self.fields["expected_value"]
        else:
            self.fields["expected_value"].label = f"Expected value ({program.currency})"

    def clean_targets(self) -> list[tuple[dt.date, float]]:
        return parse_targets(self.cleaned_data.get("targets") or "")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["components"] = list(data["components"])
        data["deliverables"] = list(data["deliverables"])
        return data


class MeasurementForm(forms.Form):
    date = forms.DateField(widget=DateInput)
    value = forms.FloatField()
    note = forms.CharField(max_length=300, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DescopeForm(forms.Form):
    subject = forms.ChoiceField(label="Component or deliverable")
    change = forms.ChoiceField(
        choices=[("delay", "Delay by"), ("cut", "Cut")], initial="delay", label="What happens"
    )
    weeks = forms.IntegerField(min_value=1, max_value=520, initial=4, required=False,
                               label="Weeks of delay")  # fmt: skip

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        components = [(f"c{c.pk}", f"component {c}") for c in program.components.order_by("code")]
        deliverables = [
            (f"d{d.pk}", f"deliverable {d} ({d.component.code})")
            for d in Deliverable.objects.filter(program=program)
            .select_related("component")
            .order_by("code")
        ]
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
            ("Components", components), ("Deliverables", deliverables),
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("change") == "delay" and not data.get("weeks"):
            self.add_error("weeks", "How many weeks?")
        return data
