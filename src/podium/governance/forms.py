"""Page forms of governance. They only parse input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from podium.accounts.models import User
from podium.benefits.models import Benefit
from podium.governance.models import BoardRole, DecisionKind
from podium.governance.services import GATE_OUTCOMES, ConditionInput
from podium.programs.models import Program

OUTCOME_CHOICES = [
    ("go", "Go"),
    ("go_with_conditions", "Go with conditions"),
    ("hold", "Hold"),
    ("no_go", "No-go"),
    ("terminate", "Terminate"),
]
assert [c for c, _ in OUTCOME_CHOICES] == list(GATE_OUTCOMES)


class DateInput(forms.DateInput):
    input_type = "date"


def _members(program: Program) -> Any:
    return (
        User.objects.filter(memberships__program=program, is_active=True)
        .order_by("username")
        .distinct()
    )


class EvidenceForm(forms.Form):
    criterion = forms.ChoiceField(choices=())
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text="What shows the criterion is met (minutes, reference, summary).",
    )  # fmt: skip
    file = forms.FileField(required=False)

    def __init__(self, *args: Any, manual: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = manual


class RecommendationForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOME_CHOICES)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOME_CHOICES)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="Go with conditions: one per line — title | owner's username | due date "
        "(YYYY-MM-DD); owner and date may be left out.",
    )  # fmt: skip

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_conditions(self) -> list[ConditionInput]:
        rows = []
        members = _members(self.program)
        for number, line in enumerate(self.cleaned_data["conditions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            title = parts[0]
            owner = None
            due = None
            if len(parts) > 1 and parts[1]:
                owner = members.filter(username=parts[1]).first()
                if owner is None:
                    raise forms.ValidationError(
                        f"Line {number}: {parts[1]!r} is not a member of {self.program.code}."
                    )
            if len(parts) > 2 and parts[2]:
                try:
                    due = dt.date.fromisoformat(parts[2])
                except ValueError as exc:
                    raise forms.ValidationError(
                        f"Line {number}: write the due date as YYYY-MM-DD."
                    ) from exc
            rows.append(ConditionInput(title, owner, due))
        return rows


class CorrectionForm(forms.Form):
    outcome = forms.ChoiceField(choices=())
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="What was wrong and what now holds."
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        if kind in (DecisionKind.GATE, DecisionKind.AUTHORIZATION):
            field.choices = OUTCOME_CHOICES
        else:
            field.choices = [("approved", "Approved"), ("rejected", "Rejected"),
                             *OUTCOME_CHOICES]  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class BoardMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none())
    role = forms.ChoiceField(choices=BoardRole.choices)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _members(program)


class AuthorizationForm(forms.Form):
    business_case = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    expected_benefits = forms.ModelMultipleChoiceField(
        queryset=Benefit.objects.none(), required=False
    )
    initial_budget = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False
    )
    planned_start = forms.DateField(required=False, widget=DateInput)
    planned_finish = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args: Any, program: Program, show_budget: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expected_benefits"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Benefit.objects.filter(program=program).order_by("code")
        if not show_budget:
            del self.fields["initial_budget"]


class DecisionFilter(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *DecisionKind.choices], required=False)
