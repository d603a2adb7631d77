"""Page forms of the stakeholder register. They only parse input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.accounts.models import User
from podium.programs.models import Program
from podium.stakeholders.models import Engagement, Frequency, StakeholderKind

SCALE = [(i, str(i)) for i in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"


def _members(program: Program) -> Any:
    return (
        User.objects.filter(memberships__program=program, is_active=True)
        .order_by("username")
        .distinct()
    )


class StakeholderForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=StakeholderKind.choices)
    organization = forms.CharField(max_length=200, required=False)
    role = forms.CharField(max_length=200, required=False)
    group = forms.CharField(
        max_length=100, required=False, help_text="Stakeholder group, e.g. Clinicians."
    )
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="— no account —",
        label="Portal account", help_text="A member of the program.",
    )  # fmt: skip
    email = forms.EmailField(required=False, help_text="For people without an account.")
    power = forms.TypedChoiceField(choices=SCALE, coerce=int, initial=3, label="Power (1-5)")
    interest = forms.TypedChoiceField(choices=SCALE, coerce=int, initial=3, label="Interest (1-5)")
    current_engagement = forms.ChoiceField(choices=Engagement.choices, initial="neutral")
    desired_engagement = forms.ChoiceField(choices=Engagement.choices, initial="supportive")
    channel = forms.CharField(max_length=100, required=False, label="Preferred channel")
    communication_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _members(program)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PlanItemForm(forms.Form):
    what = forms.CharField(max_length=300, label="What")
    how = forms.CharField(max_length=100, required=False, label="How (channel)")
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.MONTHLY)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="— nobody yet —"
    )
    next_due = forms.DateField(required=False, widget=DateInput)
    active = forms.BooleanField(required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _members(program)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV with a header line: name,kind,organization,role,group,power,interest,"
        "current_engagement,desired_engagement,email"
    )
