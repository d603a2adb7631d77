"""Which audit records belong to a component: the activity feed's component filter.

An audit record names its object by type and id only. This registry says, per object
type, how an object reaches its component (a lookup path: ``"component"``,
``"risk__component"``, ``"components"`` for objects that touch several). A record
belongs to component C when its object is the component itself, or its object reaches C
by its path; records of objects deleted since are found by the component named in their
snapshot (direct ``component`` fields only). Apps with new types add theirs with
:func:`register_component_path`; types whose model is not installed are skipped.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from podium.programs.models import Component

__all__ = ["COMPONENT_PATHS", "component_records", "register_component_path"]

COMPONENT_PATHS: dict[str, str] = {
    "schedule.activity": "component",
    "schedule.link": "pred__component",
    "schedule.baseline": "component",
    "resources.assignment": "activity__component",
    "finance.costaccount": "component",
    "finance.budgetline": "cost_account__component",
    "finance.actualcost": "cost_account__component",
    "finance.earningrule": "activity__component",
    "risks.risk": "component",
    "risks.issue": "component",
    "risks.riskaction": "risk__component",
    "risks.riskcostimpact": "risk__component",
    "risks.activityestimate": "activity__component",
    "delivery.deliverable": "component",
    "delivery.deliverableevent": "deliverable__component",
    "delivery.evidence": "deliverable__component",
    "delivery.transitionplan": "component",
    "delivery.transitionitem": "plan__component",
    "benefits.benefit": "components",
    "benefits.benefitvalue": "components",
    "benefits.measurement": "benefit__components",
    "benefits.realizationtarget": "benefit__components",
    "changes.changerequest": "components",
    "changes.changeline": "change_request__components",
    "changes.costline": "change_request__components",
    "feedback.feedbackitem": "component",
    "feedback.feedbackaction": "component",
    "governance.gatereview": "component",
    "governance.componentauthorization": "component",
    "governance.gatecondition": "review__component",
    "governance.criterionevidence": "review__component",
    "governance.recommendation": "review__component",
    "lessons.lessonsession": "component",
    "lessons.lesson": "component",
    "updates.componentupdate": "component",
}


def register_component_path(object_type: str, path: str) -> None:
    """``object_type`` ("app.model") reaches its component by the lookup ``path``."""
    COMPONENT_PATHS[object_type] = path


def component_records(component: Component) -> Q:
    """A filter of :class:`~podium.core.models.AuditRecord` for the records of
    ``component`` and of everything in it."""
    found = Q(object_type="programs.component", object_id=str(component.pk))
    direct: list[str] = []
    for object_type, path in COMPONENT_PATHS.items():
        try:
            model = apps.get_model(object_type)
        except LookupError:
            continue
        ids = (
            model._default_manager.filter(**{path: component.pk})
            .annotate(_ref=Cast("pk", CharField()))
            .values("_ref")
        )
        found |= Q(object_type=object_type, object_id__in=ids)
        if path == "component":
            direct.append(object_type)
    label = str(component)
    found |= Q(object_type__in=direct) & (Q(before__component=label) | Q(after__component=label))
    return found
