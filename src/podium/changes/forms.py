"""Page forms for change requests. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from podium.changes.models import LineKind
from podium.delivery.models import Deliverable
from podium.finance.models import CostAccount
from podium.programs.models import Component, Program
from podium.schedule.models import Activity, Link


class RequestForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        label="What changes", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    justification = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    components = forms.ModelMultipleChoiceField(
        queryset=Component.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="The components it affects.",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["components"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = program.components.order_by("code")

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "justification": data["justification"],
            "components": [c.pk for c in data["components"]],
        }


class ActivityChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.component.code} {obj.code} · {obj.name}"


class LinkChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return (f"{obj.pred.component.code} {obj.pred.code} → {obj.succ.component.code} "
                f"{obj.succ.code} ({obj.type})")  # fmt: skip


LINE_FIELDS = ("kind", "activity", "new_duration_days", "predecessor", "successor",
               "link_type", "lag_days", "link", "cost_account", "amount", "deliverable",
               "reason")  # fmt: skip


class LineForm(forms.Form):
    """One change line; which fields count depends on the kind (the service checks)."""

    kind = forms.ChoiceField(choices=LineKind.choices)
    activity = ActivityChoice(
        queryset=Activity.objects.none(),
        required=False,
        help_text="duration change (or the activity a cost is for)",
    )
    new_duration_days = forms.DecimalField(
        label="New duration (working days)", required=False, decimal_places=2
    )
    predecessor = ActivityChoice(queryset=Activity.objects.none(), required=False)
    successor = ActivityChoice(queryset=Activity.objects.none(), required=False)
    link_type = forms.ChoiceField(choices=Link.Type.choices, initial="FS", required=False)
    lag_days = forms.DecimalField(label="Lag (working days)", required=False, decimal_places=2)
    link = LinkChoice(queryset=Link.objects.none(), required=False, label="Link to remove")
    cost_account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=CostAccount.objects.none(), required=False
    )
    amount = forms.DecimalField(
        label="Budget change (negative lowers it)", required=False, decimal_places=2
    )
    deliverable: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Deliverable.objects.none(), required=False, label="Deliverable to descope"
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, program: Program, costs: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        acts = (Activity.objects.filter(program=program).select_related("component")
                .order_by("component__code", "order", "pk"))  # fmt: skip
        for name in ("activity", "predecessor", "successor"):
            self._set(name, acts)
        self._set(
            "link",
            Link.objects.filter(program=program)
            .select_related("pred__component", "succ__component")
            .order_by("pred__component__code", "pk"),
        )
        self._set("deliverable", Deliverable.objects.filter(program=program).order_by("code"))
        if costs:
            self._set("cost_account", CostAccount.objects.filter(program=program).order_by("code"))
        else:
            del self.fields["cost_account"], self.fields["amount"]
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                c for c in LineKind.choices if c[0] != LineKind.COST
            ]

    def _set(self, name: str, qs: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = qs

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {"kind": data["kind"]}
        for name in LINE_FIELDS[1:]:
            if name not in data:
                continue
            value = data[name]
            if value in (None, ""):
                continue
            out[name] = value.pk if hasattr(value, "pk") else value
        return out


class DecisionForm(forms.Form):
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Rationale"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)
