"""Page forms. They only parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.accounts.models import User
from podium.programs.models import Component, Program, Role


class DateInput(forms.DateInput):
    input_type = "date"


class _PeopleMixin:
    cleaned_data: dict[str, Any]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def limit_people(self, program: Program | None) -> None:
        users = User.objects.filter(is_active=True)
        if program is not None:
            users = users.filter(memberships__program=program)
        for name in ("manager", "sponsor"):
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None:
                field.queryset = users.order_by("username")


class ProgramForm(_PeopleMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Program
        fields = [
            "code", "name", "vision", "charter", "sponsor", "manager", "currency",
            "start_date", "end_date",
        ]  # fmt: skip
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_people(self.instance if editing else None)
        if editing:
            del self.fields["code"]

    def validate_unique(self) -> None:  # the service checks, inside its transaction
        pass


class ComponentForm(_PeopleMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Component
        fields = [
            "code", "name", "kind", "manager", "description", "business_case",
            "start_date", "end_date",
        ]  # fmt: skip
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, program: Program, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_people(program)
        if editing:
            del self.fields["code"]

    def validate_unique(self) -> None:
        pass


class TransitionForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none())
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .exclude(memberships__program=program)
            .order_by("username")
        )


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
