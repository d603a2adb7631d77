"""The gate criteria page: every gate of the program's template, and changing it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page
from podium.governance import access, criteria, selectors
from podium.governance.criteria_admin import (
    add_criterion,
    remove_criterion,
    template_rows,
)
from podium.governance.models import CriterionKind, GateCriterion


class CriterionForm(forms.Form):
    gate = forms.ChoiceField(label="Gate")
    kind = forms.ChoiceField(label="Kind", choices=CriterionKind.choices)
    evaluator = forms.ChoiceField(label="Automatic check", required=False)
    label = forms.CharField(label="Criterion (manual)", max_length=200, required=False)
    guidance = forms.CharField(
        label="Evidence expected", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, gates: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        gate = self.fields["gate"]
        assert isinstance(gate, forms.ChoiceField)
        gate.choices = gates
        evaluator = self.fields["evaluator"]
        assert isinstance(evaluator, forms.ChoiceField)
        evaluator.choices = [("", "—"), *criteria.evaluators().items()]


@login_required
@page
def criteria_page(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    rows = template_rows(program)
    can_change = access.can_manage_board(request.user, program)
    form = CriterionForm(request.POST or None, gates=[(key, label) for key, label, _ in rows])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                criterion = add_criterion(
                    actor=request.user,
                    program=program,
                    gate=data["gate"],
                    kind=data["kind"],
                    evaluator=data["evaluator"],
                    label=data["label"],
                    guidance=data["guidance"],
                )
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"“{criterion.label}” added to the gate.")
                return redirect("governance:criteria", code=code)
        status = 422
        rows = template_rows(program)
    return render(
        request,
        "governance/criteria.html",
        {"program": program, "rows": rows, "form": form if can_change else None},
        status=status,
    )


@login_required
@require_POST
@page
def criterion_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    criterion = GateCriterion.objects.filter(template__program=program, pk=pk).first()
    if criterion is None:
        raise NotFound(f"No criterion {pk}.")
    try:
        remove_criterion(actor=request.user, criterion=criterion)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{criterion.label}” removed from the gate.")
    return redirect("governance:criteria", code=code)
