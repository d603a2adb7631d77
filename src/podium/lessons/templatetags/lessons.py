"""``{% related_lessons program text … %}``: a small panel with the lessons from other
programs most relevant to the text (a risk, a component's business case, a change
request), limited to the programs the signed-in user may see.

    {% load lessons %}
    {% related_lessons program risk.title risk.cause risk.event risk.effect %}
"""

from __future__ import annotations

from typing import Any

from django import template

from podium.lessons.selectors import related_lessons as find_related

register = template.Library()


@register.inclusion_tag("lessons/_related.html", takes_context=True)
def related_lessons(context: Any, program: Any, *texts: Any, limit: int = 5) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    text = "\n".join(str(t) for t in texts if t)
    hits = find_related(user, program, text, limit=limit) if user is not None else []
    return {"hits": hits, "program": program}
