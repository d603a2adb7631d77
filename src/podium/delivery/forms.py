"""Page forms for deliverables and transition plans. They only parse input; services
decide (and check files: see :func:`podium.delivery.services.check_evidence_file`)."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.accounts.models import User
from podium.delivery.models import DeliverableKind
from podium.programs.models import Component, Program
from podium.schedule.models import Activity


class DateInput(forms.DateInput):
    input_type = "date"


def _members(program: Program) -> Any:
    return (
        User.objects.filter(memberships__program=program, is_active=True)
        .order_by("username")
        .distinct()
    )


class MilestoneChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        finish = f" ({obj.finish:%Y-%m-%d})" if obj.finish else ""
        return f"{obj.component.code} · {obj.name}{finish}"


class DeliverableForm(forms.Form):
    name = forms.CharField(max_length=200)
    code = forms.CharField(max_length=20, required=False, help_text="empty: the next D-nnn")
    component = forms.ModelChoiceField(queryset=Component.objects.none())
    kind = forms.ChoiceField(choices=DeliverableKind.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    acceptance_criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="What the accepting stakeholder checks before accepting.",
    )  # fmt: skip
    milestone = MilestoneChoice(
        queryset=Activity.objects.none(), required=False, empty_label="— none —",
        help_text="The schedule milestone that delivers it.",
    )  # fmt: skip
    accepting_stakeholder = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="— not named yet —"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, components: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set("component", components)
        self._set(
            "milestone",
            Activity.objects.filter(program=program, kind=Activity.Kind.MILESTONE)
            .select_related("component")
            .order_by("component__code", "finish", "code"),
        )
        self._set("accepting_stakeholder", _members(program))

    def _set(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class StepForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AcceptForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Comment"
    )
    evidence_file = forms.FileField(
        required=False, label="Evidence file",
        help_text="Optional: pdf, png, jpg, docx, xlsx, txt or csv, at most 10 MB.",
    )  # fmt: skip
    evidence_url = forms.URLField(required=False, label="Evidence link", assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RejectForm(AcceptForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Reason for rejecting",
        help_text="Required: what has to change before you can accept it.",
    )  # fmt: skip
    field_order = ["reason", "comment", "evidence_file", "evidence_url", "version"]


class EvidenceForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField(
        required=False, help_text="pdf, png, jpg, docx, xlsx, txt or csv; ≤ 10 MB"
    )
    url = forms.URLField(required=False, label="or a link", assume_scheme="https")


class PlanForm(forms.Form):
    receiving_organization = forms.CharField(max_length=200, required=False)
    receiving_owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="— no account —",
        help_text="A member of the program who owns the outputs afterwards.",
    )  # fmt: skip
    receiving_owner_name = forms.CharField(
        max_length=200, required=False, label="…or their name",
        help_text="When the owner has no account here.",
    )  # fmt: skip
    handover_date = forms.DateField(required=False, widget=DateInput)
    support_until = forms.DateField(required=False, widget=DateInput, label="Support period ends")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiving_owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _members(program)


class ItemForm(forms.Form):
    text = forms.CharField(max_length=300, label="New checklist item")
