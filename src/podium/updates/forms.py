"""Page forms of component status updates. They only parse input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.updates.models import Rag
from podium.updates.selectors import label_of
from podium.updates.services import TEXTS

__all__ = ["ReopenForm", "UpdateForm"]


class UpdateForm(forms.Form):
    """A colour and a reason per dimension the reader may rate, then the narrative.
    ``dimensions``: "overall" and the dimensions shown (no cost without cost rights)."""

    accomplishments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="What the component achieved this period.",
    )  # fmt: skip
    next_steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="What it will do next period.",
    )  # fmt: skip
    blockers = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    help_needed = forms.CharField(
        label="Help needed from the program", widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, dimensions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dim in dimensions:
            label = label_of(dim)
            self.fields[f"{dim}_rag"] = forms.ChoiceField(
                label=f"{label} RAG", choices=[("", "— choose —"), *Rag.choices], required=False
            )
            self.fields[f"{dim}_reason"] = forms.CharField(
                label=f"{label} reason", max_length=300, required=False
            )
        order = [f"{d}_{part}" for d in dimensions for part in ("rag", "reason")]
        self.order_fields([*order, *TEXTS, "version"])

    def rows(self) -> list[tuple[str, Any, Any]]:
        """(dimension, colour field, reason field) for the template."""
        return [(d, self[f"{d}_rag"], self[f"{d}_reason"]) for d in self.dimensions]

    def texts(self) -> list[Any]:
        return [self[name] for name in TEXTS]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ReopenForm(forms.Form):
    note = forms.CharField(
        label="What needs correcting", max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
