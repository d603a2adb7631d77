"""Page forms of meetings. They only parse input; services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from podium.accounts.models import User
from podium.changes.models import ChangeRequest
from podium.changes.models import State as CRState
from podium.feedback.models import FeedbackItem
from podium.governance.models import DecisionOutcome, GateReview, ReviewStatus
from podium.meetings.links import LINK_KINDS
from podium.meetings.models import ActionStatus, AgendaItem, ItemStatus, Meeting, MeetingKind
from podium.meetings.services import Guest
from podium.programs.models import Program
from podium.risks.models import Issue, IssueStatus, Risk, RiskStatus

__all__ = [
    "ActionForm",
    "AgendaItemForm",
    "AttendeeForm",
    "DecisionForm",
    "FilterForm",
    "HoldForm",
    "ItemMinutesForm",
    "MeetingForm",
    "NextForm",
    "parse_guests",
]


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def members(program: Program) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__program=program, is_active=True)
        .order_by("username")
        .distinct()
    )


def _set(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


_GUEST = re.compile(r"^\s*(?P<name>[^<]*?)\s*<(?P<email>[^>]+)>\s*$")


def parse_guests(text: str) -> list[Guest]:
    """ "Name <e-mail>" per line → guests without an account (a bad line raises)."""
    guests = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _GUEST.match(line)
        if match is None:
            raise forms.ValidationError(f"Line {number}: write “Name <name@example.org>”.")
        guests.append(Guest(name=match["name"], email=match["email"]))
    return guests


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *MeetingKind.choices], required=False, label="Kind"
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(
        label="Starts", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    duration = forms.IntegerField(
        label="Duration (minutes)", min_value=5, max_value=1440, initial=60
    )
    location = forms.CharField(max_length=200, required=False)
    online_link = forms.URLField(
        max_length=500, required=False, label="Online link", assume_scheme="https"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    required_members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label="Required attendees"
    )
    optional_members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label="Optional attendees"
    )
    guests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Guests without an account",
        help_text="one per line: Name <name@example.org>",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, program: Program, kinds: list[str], creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, label) for k, label in MeetingKind.choices if k in kinds]
        if creating:
            _set(self, "required_members", members(program))
            _set(self, "optional_members", members(program))
            del self.fields["version"]
        else:
            for name in ("kind", "required_members", "optional_members", "guests"):
                del self.fields[name]

    def clean_guests(self) -> list[Guest]:
        return parse_guests(self.cleaned_data.get("guests", ""))

    def guest_list(self) -> list[Guest]:
        data = self.cleaned_data
        required = list(data.get("required_members") or [])
        optional = [u for u in data.get("optional_members") or [] if u not in required]
        return [
            *(Guest(user=u, required=True) for u in required),
            *(Guest(user=u, required=False) for u in optional),
            *data.get("guests", []),
        ]


def link_choices(program: Program, user: Any) -> list[tuple[str, Any]]:
    """Open objects of the program ``user`` may see and link to, grouped by kind."""
    groups: list[tuple[str, Any]] = [("", "— no link —")]
    sources: list[tuple[str, Any]] = [
        ("risk", Risk.objects.filter(program=program, status=RiskStatus.OPEN).order_by("code")),
        (
            "issue",
            Issue.objects.filter(
                program=program, status__in=(IssueStatus.OPEN, IssueStatus.IN_PROGRESS)
            ).order_by("code"),
        ),
        (
            "change_request",
            ChangeRequest.objects.filter(program=program)
            .exclude(state__in=(CRState.WITHDRAWN,))
            .order_by("-number")[:100],
        ),
        (
            "gate_review",
            GateReview.objects.filter(program=program, status=ReviewStatus.OPEN).select_related(
                "program", "component"
            ),
        ),
        (
            "feedback_item",
            FeedbackItem.objects.filter(program=program)
            .exclude(state__in=("closed", "declined"))
            .order_by("-submitted_at")[:100],
        ),
    ]
    for key, qs in sources:
        kind = LINK_KINDS[key]
        objects = list(qs)
        for obj in objects:
            obj.program = program  # they all belong to it: no query per object
        options = [
            (f"{key}:{obj.pk}", kind.text(obj)[:120]) for obj in objects if kind.visible(user, obj)
        ]
        if options:
            groups.append((kind.label, options))
    return groups


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, label="Agenda item")
    presenter = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    link = forms.ChoiceField(required=False, label="Linked to")

    def __init__(self, *args: Any, program: Program, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "presenter", members(program))
        field = self.fields["link"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = link_choices(program, user)

    def link_fields(self) -> tuple[str, int | None]:
        raw = self.cleaned_data.get("link") or ""
        if ":" not in raw:
            return "", None
        kind, _, pk = raw.partition(":")
        return kind, int(pk) if pk.isdigit() else None


class ItemMinutesForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(choices=ItemStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttendeeForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Member", empty_label="— none —"
    )
    name = forms.CharField(max_length=200, required=False, label="Or guest name")
    email = forms.EmailField(required=False, label="Guest e-mail")
    required = forms.BooleanField(required=False, initial=True, label="Required")

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = meeting.attendees.filter(user__isnull=False).values("user_id")
        _set(self, "user", members(meeting.program).exclude(pk__in=invited))

    def guest(self) -> Guest:
        data = self.cleaned_data
        return Guest(
            user=data.get("user"),
            name=data.get("name") or "",
            email=data.get("email") or "",
            required=bool(data.get("required")),
        )


class HoldForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    attended = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label="Who attended"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(a.pk), a.display_name) for a in meeting.attendees.all()]


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=DecisionOutcome.choices, initial=DecisionOutcome.APPROVED)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Decision")
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="About agenda item",
        empty_label="— none —",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "agenda_item", meeting.agenda_items.order_by("position", "id"))


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200, label="Action")
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due_date = forms.DateField(widget=DateInput, required=False, label="Due")

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "owner", members(program))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class NextForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Next meeting starts",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
    )
