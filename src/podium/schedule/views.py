"""Schedule pages: program and component schedule tables, baselines, imports."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS
from podium.core.jobs import start_job
from podium.core.views import AuthedRequest, page, paginate_qs
from podium.engine.errors import ParseError
from podium.interchange.dslib_sheets import check_xlsx
from podium.interchange.registry import check_size, detect_format
from podium.programs.permissions import can_change_program, get_component, get_program, require
from podium.schedule import selectors, services
from podium.schedule.jobs import max_import_bytes
from podium.schedule.models import Baseline, ScheduleSettings


class ImportForm(forms.Form):
    file = forms.FileField(help_text="MS Project XML, P6 XER, DSLIB .xlsx, CSV or Podium JSON")
    component_name = forms.CharField(
        max_length=200, required=False, help_text="Default: the project's name in the file"
    )


def _schedule_page(request: AuthedRequest, code: str, component_pk: int | None) -> HttpResponse:
    program = get_program(request.user, code)
    component = get_component(request.user, component_pk, program) if component_pk else None
    filters = {
        "q": request.GET.get("q", ""),
        "critical": request.GET.get("critical", ""),
        "baseline": request.GET.get("baseline", ""),
        "component": request.GET.get("component", "") if component is None else "",
    }
    chosen = filters["component"] if filters["component"].isdigit() else None
    activities = selectors.activity_list(
        program,
        component=component.pk if component else chosen,
        critical=bool(filters["critical"]),
        q=filters["q"],
    )
    page_obj = paginate_qs(request, activities, 100)
    baselines = Baseline.objects.filter(program=program).select_related("component")
    baseline = baselines.filter(pk=filters["baseline"]).first() if filters["baseline"] else None
    rows = selectors.variance(baseline, list(page_obj)) if baseline else None
    settings = ScheduleSettings.objects.filter(program=program).first()
    can_change = can_change_program(request.user, program)
    from podium.resources.selectors import resource_load  # resources build on schedule

    overallocated = [row.resource.code for row in resource_load(program, weeks=1).overallocated]
    return render(
        request,
        "schedule/schedule.html",
        {
            "program": program,
            "component": component,
            "components": program.components.order_by("code") if component is None else [],
            "page_obj": page_obj,
            "rows": rows,
            "filters": filters,
            "settings": settings,
            "baselines": baselines,
            "baseline": baseline,
            "cross_links": selectors.cross_component_links(program) if not component else [],
            "can_change": can_change,
            "overallocated": overallocated,
            "import_form": ImportForm() if can_change and not component else None,
        },
    )


@login_required
@page
def program_schedule(request: AuthedRequest, code: str) -> HttpResponse:
    return _schedule_page(request, code, None)


@login_required
@page
def component_schedule(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    return _schedule_page(request, code, pk)


@login_required
@require_POST
@page
def recompute(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    try:
        settings = services.recompute(actor=request.user, program=program)
    except (*REFUSALS, services.ScheduleRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Schedule computed; program finish {settings.finish:%Y-%m-%d %H:%M}."
        )
    return redirect("schedule:program", code=code)


@login_required
@require_POST
@page
def save_baseline(request: AuthedRequest, code: str) -> HttpResponse:
    program = get_program(request.user, code)
    try:
        baseline = services.save_baseline(
            actor=request.user, program=program, name=request.POST.get("name", "")
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("schedule:program", code=code)
    messages.success(request, f"Baseline “{baseline.name}” saved.")
    return redirect(f"{reverse('schedule:program', args=[code])}?baseline={baseline.pk}")


@login_required
@require_POST
@page
def import_file(request: AuthedRequest, code: str) -> HttpResponse:
    """Store the upload and import it in a background job; the job page shows progress."""
    program = get_program(request.user, code)
    require(can_change_program(request.user, program), "Only the program manager can import.")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to import.")
        return redirect("schedule:program", code=code)
    upload = form.cleaned_data["file"]
    try:
        detect_format(upload.name)
    except ParseError as exc:
        messages.error(request, f"Nothing imported: {exc}")
        return redirect("schedule:program", code=code)
    limit = max_import_bytes()
    try:
        check_size(upload.name, upload.size or 0, limit)
        if detect_format(upload.name) == "dslib":
            check_xlsx(upload, upload.name)  # a zip bomb or unsafe XML is never stored
            upload.seek(0)
    except ParseError as exc:
        messages.error(request, f"Nothing imported: {exc}")
        return redirect("schedule:program", code=code)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = start_job(
        "schedule.import",
        user=request.user,
        params={
            "program_id": program.pk,
            "path": str(stored),
            "name": upload.name,
            "component_name": form.cleaned_data["component_name"] or None,
        },
        program_id=program.pk,
        link=reverse("schedule:program", args=[code]),
    )
    return redirect("job-detail", pk=job.pk)
