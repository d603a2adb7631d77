"""Page forms of lessons and sessions. They only parse input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.accounts.models import User
from podium.lessons.models import (
    Adoption,
    Category,
    Impact,
    LessonSession,
    PerformanceDomain,
    Phase,
    SessionKind,
)
from podium.programs.models import Component, Program

__all__ = ["ApplyForm", "FilterForm", "HoldForm", "LessonForm", "SessionForm"]


class DateInput(forms.DateInput):
    input_type = "date"


def _members(program: Program) -> Any:
    return (
        User.objects.filter(memberships__program=program, is_active=True)
        .order_by("username")
        .distinct()
    )


def _set(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _blank(choices: Any, label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="What happened."
    )
    root_cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recommendation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text="What to do differently next time.",
    )  # fmt: skip
    phase = forms.ChoiceField(choices=Phase.choices, initial=Phase.DELIVERY)
    performance_domain = forms.ChoiceField(
        choices=PerformanceDomain.choices, initial=PerformanceDomain.LIFE_CYCLE
    )
    category = forms.ChoiceField(choices=Category.choices, initial=Category.OTHER)
    impact = forms.ChoiceField(choices=Impact.choices, initial=Impact.MEDIUM)
    tags = forms.CharField(max_length=300, required=False, help_text="comma-separated")
    component = forms.ModelChoiceField(
        queryset=Component.objects.none(), required=False, empty_label="— program level —"
    )
    session = forms.ModelChoiceField(
        queryset=LessonSession.objects.none(), required=False, empty_label="— none —"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "component", program.components.order_by("code"))
        _set(self, "session", LessonSession.objects.filter(program=program).order_by("-created_at"))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class SessionForm(forms.Form):
    kind = forms.ChoiceField(choices=SessionKind.choices)
    title = forms.CharField(max_length=200, required=False, help_text="empty: from the kind")
    component = forms.ModelChoiceField(
        queryset=Component.objects.none(), required=False, empty_label="— whole program —"
    )
    facilitator = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    participants = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False)
    stakeholders = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False,
        help_text="from the program's stakeholder register",
    )  # fmt: skip
    external_participants = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text="people without an account, one per line",
    )  # fmt: skip
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        from podium.stakeholders.models import Stakeholder

        super().__init__(*args, **kwargs)
        _set(self, "component", program.components.order_by("code"))
        _set(self, "facilitator", _members(program))
        _set(self, "participants", _members(program))
        _set(self, "stakeholders", Stakeholder.objects.filter(program=program).order_by("name"))


class HoldForm(forms.Form):
    held_on = forms.DateField(widget=DateInput)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ApplyForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label="Applied in")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "program", programs)


class FilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(), required=False, empty_label="All programs",
        to_field_name="code",
    )  # fmt: skip
    category = forms.ChoiceField(choices=_blank(Category.choices, "Any category"), required=False)
    domain = forms.ChoiceField(
        choices=_blank(PerformanceDomain.choices, "Any domain"), required=False
    )
    phase = forms.ChoiceField(choices=_blank(Phase.choices, "Any phase"), required=False)
    adoption = forms.ChoiceField(choices=_blank(Adoption.choices, "Any adoption"), required=False)
    tags = forms.CharField(required=False, help_text="comma-separated; all must match")

    def __init__(self, *args: Any, programs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if programs is None:
            del self.fields["program"]
        else:
            _set(self, "program", programs)
