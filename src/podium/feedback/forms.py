"""Page forms for feedback. They only parse input; the services decide (text, category,
attachments: see :func:`podium.feedback.services.check_attachment`)."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.accounts.models import User
from podium.feedback.models import ActionStatus, Category, FeedbackAction, FeedbackState
from podium.programs.models import Component, Program


class DateInput(forms.DateInput):
    input_type = "date"


def _members(program: Program) -> Any:
    return (
        User.objects.filter(memberships__program=program, is_active=True)
        .order_by("username")
        .distinct()
    )


class SubmitForm(forms.Form):
    """The stakeholder portal's "Give feedback" form."""

    about = forms.ChoiceField(label="About", required=False)
    category = forms.ChoiceField(choices=Category.choices, initial=Category.OTHER)
    rating = forms.TypedChoiceField(
        label="Rating", required=False, coerce=int, empty_value=None,
        choices=[("", "— no rating —"), (5, "5 — very good"), (4, "4 — good"),
                 (3, "3 — fair"), (2, "2 — poor"), (1, "1 — very poor")],
    )  # fmt: skip
    text = forms.CharField(
        label="Your feedback", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachment = forms.FileField(
        label="Attachment", required=False,
        help_text="Optional: pdf, png, jpg, txt, docx, xlsx or csv, at most 5 MB.",
    )  # fmt: skip
    anonymous = forms.BooleanField(
        label="Submit anonymously", required=False,
        help_text="The team will not see who you are; you still see the item and its answers.",
    )  # fmt: skip

    def __init__(self, *args: Any, program: Program, allow_anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from podium.benefits.models import Benefit
        from podium.delivery.models import Deliverable

        choices: list[tuple[str, Any]] = [("", f"The program as a whole ({program.code})")]
        components = [(f"component:{c.pk}", f"{c.code} {c.name}") for c in
                      program.components.order_by("code")]  # fmt: skip
        deliverables = [(f"deliverable:{d.pk}", f"{d.code} {d.name}") for d in
                        Deliverable.objects.filter(program=program).order_by("code")]  # fmt: skip
        benefits = [(f"benefit:{b.pk}", f"{b.code} {b.name}") for b in
                    Benefit.objects.filter(program=program).order_by("code")]  # fmt: skip
        for label, group in (("Components", components), ("Deliverables", deliverables),
                             ("Benefits", benefits)):  # fmt: skip
            if group:
                choices.append((label, group))
        about = self.fields["about"]
        assert isinstance(about, forms.ChoiceField)
        about.choices = choices
        if not allow_anonymous:
            del self.fields["anonymous"]
        self.program = program

    def service_fields(self) -> dict[str, Any]:
        from podium.benefits.models import Benefit
        from podium.delivery.models import Deliverable

        data = self.cleaned_data
        fields: dict[str, Any] = {
            "category": data["category"],
            "rating": data.get("rating"),
            "text": data.get("text") or "",
            "anonymous": bool(data.get("anonymous")),
            "attachments": [data["attachment"]] if data.get("attachment") else [],
        }
        kind, _, pk = (data.get("about") or "").partition(":")
        models: dict[str, Any] = {"component": Component, "deliverable": Deliverable,
                                  "benefit": Benefit}  # fmt: skip
        if kind in models and pk.isdigit():
            fields[kind] = models[kind].objects.filter(program=self.program, pk=int(pk)).first()
        return fields


class FilterForm(forms.Form):
    state = forms.ChoiceField(required=False, choices=[("", "All states"), *FeedbackState.choices])
    component = forms.ModelChoiceField(
        queryset=Component.objects.none(), required=False, empty_label="All components"
    )
    category = forms.ChoiceField(
        required=False, choices=[("", "All categories"), *Category.choices]
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")
    q = forms.CharField(required=False, label="Text")

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["component"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = program.components.order_by("code")


class NoteForm(forms.Form):
    """The submitter's answer (Verify / Not fixed) with an optional note."""

    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "answer_%s")
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: the submitter reads it.",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)


class PlanForm(forms.Form):
    """Plan an acknowledged item: link existing actions and/or create one, or a risk."""

    actions = forms.ModelMultipleChoiceField(
        label="Existing actions", queryset=FeedbackAction.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    new_action = forms.CharField(label="New action", max_length=200, required=False)
    owner = forms.ModelChoiceField(
        label="Owner", queryset=User.objects.none(), required=False, empty_label="— nobody yet —"
    )
    due_date = forms.DateField(label="Due date", required=False, widget=DateInput)
    risk = forms.ModelChoiceField(
        label="Risk", queryset=User.objects.none(), required=False, empty_label="— no risk —"
    )
    change_request = forms.ModelChoiceField(
        label="Change request", queryset=User.objects.none(), required=False,
        empty_label="— no change request —",
    )  # fmt: skip
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "plan_%s")
        super().__init__(*args, **kwargs)
        from podium.risks.models import Risk

        self._set("actions", FeedbackAction.objects.filter(program=program).exclude(
            status=ActionStatus.CANCELLED).order_by("title"))  # fmt: skip
        self._set("owner", _members(program))
        self._set("risk", Risk.objects.filter(program=program).order_by("code"))
        from podium.changes.models import ChangeRequest, State

        open_requests = ChangeRequest.objects.filter(
            program=program, state__in=(State.DRAFT, State.SUBMITTED, State.APPROVED)
        )
        self._set("change_request", open_requests.order_by("-number"))

    def _set(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class ActionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, required=False)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=User.objects.none(), required=False, empty_label="— nobody yet —"
    )
    due_date = forms.DateField(label="Due date", required=False, widget=DateInput)
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    component = forms.ModelChoiceField(
        label="Component", queryset=Component.objects.none(), required=False,
        empty_label="— the program —",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        component = self.fields["component"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(component, forms.ModelChoiceField)
        owner.queryset = _members(program)
        component.queryset = program.components.order_by("code")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: text (required), category, rating, component, deliverable, "
        "benefit, submitted_by, submitted_at.",
    )


class TargetForm(forms.Form):
    acknowledge_days = forms.IntegerField(label="Acknowledge within (working days)", min_value=1)
    close_days = forms.IntegerField(label="Close within (working days)", min_value=1)
    allow_anonymous = forms.BooleanField(label="Allow anonymous feedback", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
