"""A meeting's invitation as iCalendar (RFC 5545/5546, ``METHOD:REQUEST``).

The UID stays the same for the life of the meeting and SEQUENCE goes up whenever its
time or place changes, so a calendar replaces the earlier invitation instead of adding a
second one; a cancelled meeting is sent as ``METHOD:CANCEL``. Times are in UTC.

The description lists the agenda by the items' own titles. A linked object is named only
when ``viewer`` may see it (:func:`podium.meetings.links.link_view`): an invitation is
forwarded, so it never carries more than its reader could open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from podium.meetings.links import link_view
from podium.meetings.models import Meeting, MeetingStatus

__all__ = ["invitation", "invitation_response", "meeting_uid"]

_DOMAIN = "podium"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.uid}@{_DOMAIN}"


def _absolute(path: str) -> str:
    base = getattr(settings, "PODIUM_BASE_URL", "") or "http://localhost:8000"
    return f"{base.rstrip('/')}{path}"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address


def _description(meeting: Meeting, viewer: Any, url: str) -> str:
    lines = []
    if meeting.description:
        lines += [meeting.description.strip(), ""]
    items = list(meeting.agenda_items.all())
    if items:
        lines.append("Agenda:")
        for number, item in enumerate(items, start=1):
            line = f"{number}. {item.title}"
            if item.presenter is not None:
                line += f" ({item.presenter})"
            link = link_view(viewer, item)
            if link is not None:
                line += f" [{link.kind_label}: {link.text}]"
            lines.append(line)
        lines.append("")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"Meeting page: {url}")
    return "\n".join(lines)


def invitation(meeting: Meeting, viewer: Any, path: str) -> bytes:
    """The .ics of ``meeting`` as ``viewer`` may read it; ``path`` is the meeting page."""
    url = _absolute(path)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//Podium//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", f"[{meeting.program.code}] {meeting.title}")
    event.add("description", _description(meeting, viewer, url))
    event.add("url", url)
    if meeting.location:
        event.add("location", meeting.location)
    elif meeting.online_link:
        event.add("location", meeting.online_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = meeting.organizer
    if organizer is not None and organizer.email:
        event.add("organizer", _address(organizer.email, str(organizer)))
    for attendee in meeting.attendees.all():
        if not attendee.mail:
            continue  # a member without an e-mail address cannot be invited by mail
        role = "REQ-PARTICIPANT" if attendee.required else "OPT-PARTICIPANT"
        event.add(
            "attendee",
            _address(attendee.mail, attendee.display_name, ROLE=role, RSVP="TRUE"),
            encode=False,
        )
    cal.add_component(event)
    return bytes(cal.to_ical())


def invitation_response(meeting: Meeting, viewer: Any) -> HttpResponse:
    """The invitation as a download."""
    path = reverse("meetings:detail", kwargs={"code": meeting.program.code, "pk": meeting.pk})
    response = HttpResponse(
        invitation(meeting, viewer, path), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{meeting.program.code}-meeting-{meeting.pk}.ics"'
    )
    return response
