"""Page forms of the financial framework. They only parse input; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from podium.finance.models import BudgetLine, Category, CostAccount
from podium.programs.models import Component, Program
from podium.schedule.models import Activity


class DateInput(forms.DateInput):
    input_type = "date"


def _limit(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _money_field(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class CostAccountForm(forms.Form):
    code = forms.CharField(max_length=40)
    name = forms.CharField(max_length=200)
    component = forms.ModelChoiceField(queryset=Component.objects.none())
    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), required=False, label="WBS element"
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "component", program.components.order_by("code"))
        _limit(
            self,
            "activity",
            Activity.objects.filter(program=program, kind=Activity.Kind.SUMMARY)
            .select_related("component")
            .order_by("component__code", "order"),
        )


class ReservesForm(forms.Form):
    management_reserve = _money_field(min_value=Decimal(0))
    contingency = _money_field(min_value=Decimal(0))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LineForm(forms.Form):
    cost_account = forms.ModelChoiceField(queryset=CostAccount.objects.none())
    category = forms.ChoiceField(choices=Category.choices)
    amount = _money_field(min_value=Decimal(0))
    description = forms.CharField(max_length=200, required=False)
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), required=False)
    phasing = forms.ChoiceField(choices=BudgetLine.Phasing.choices, initial="schedule")

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "cost_account", CostAccount.objects.filter(program=program).order_by("code"))
        _limit(
            self,
            "activity",
            Activity.objects.filter(program=program)
            .select_related("component")
            .order_by("component__code", "order"),
        )


class LineAmountForm(forms.Form):
    amount = _money_field(min_value=Decimal(0))
    version = forms.IntegerField(required=False)


class ActualForm(forms.Form):
    cost_account = forms.ModelChoiceField(queryset=CostAccount.objects.none())
    date = forms.DateField(widget=DateInput())
    amount = _money_field()
    description = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self,
            "cost_account",
            CostAccount.objects.filter(program=program)
            .select_related("component")
            .order_by("code"),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(required=False)
