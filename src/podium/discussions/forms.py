"""Page forms of discussions. They only parse input; the services decide (text length,
files: see :func:`podium.feedback.services.check_attachment`)."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.accounts.models import User
from podium.discussions.models import Kind
from podium.programs.models import Program

__all__ = ["CommentForm", "EditForm", "FeedFilter"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment", required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown: **bold**, *italic*, lists, `code`, links. "
        "Mention someone with @username.",
    )  # fmt: skip
    attachment = forms.FileField(
        label="Attachment", required=False,
        help_text="Optional: pdf, png, jpg, txt, docx, xlsx or csv, at most 5 MB.",
    )  # fmt: skip


class EditForm(forms.Form):
    body = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FeedFilter(forms.Form):
    component = forms.TypedChoiceField(
        label="Component", required=False, coerce=int, empty_value=None
    )
    person = forms.ChoiceField(label="Person", required=False)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Everything"), *Kind.choices]
    )
    what = forms.ChoiceField(
        label="Show", required=False,
        choices=[("", "Changes and comments"), ("changes", "Changes only"),
                 ("comments", "Comments only")],
    )  # fmt: skip

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = [("", "All components")] + [  # type: ignore[attr-defined]
            (c.pk, f"{c.code} {c.name}") for c in program.components.order_by("code")
        ]
        people = User.objects.filter(memberships__program=program).order_by("username").distinct()
        self.fields["person"].choices = [("", "Everyone")] + [  # type: ignore[attr-defined]
            (u.username, f"{u} ({u.username})") for u in people
        ]
