from django.urls import path

from podium.meetings import views

app_name = "meetings"

urlpatterns = [
    path("<str:code>/meetings/", views.meeting_list, name="list"),
    path("<str:code>/meetings/new/", views.meeting_new, name="new"),
    path("<str:code>/meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("<str:code>/meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<str:code>/meetings/<int:pk>/invite.ics", views.invite, name="invite"),
    path("<str:code>/meetings/<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("<str:code>/meetings/<int:pk>/agenda/prefill/", views.prefill, name="prefill"),
    path(
        "<str:code>/meetings/<int:pk>/agenda/<int:item_pk>/",
        views.agenda_item,
        name="agenda-item",
    ),
    path(
        "<str:code>/meetings/<int:pk>/agenda/<int:item_pk>/remove/",
        views.agenda_remove,
        name="agenda-remove",
    ),
    path("<str:code>/meetings/<int:pk>/attendees/", views.attendee_add, name="attendee-add"),
    path(
        "<str:code>/meetings/<int:pk>/attendees/<int:attendee_pk>/remove/",
        views.attendee_remove,
        name="attendee-remove",
    ),
    path("<str:code>/meetings/<int:pk>/hold/", views.hold, name="hold"),
    path("<str:code>/meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<str:code>/meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
    path("<str:code>/meetings/<int:pk>/actions/", views.action_add, name="action-add"),
    path("<str:code>/meetings/<int:pk>/next/", views.next_meeting, name="next"),
    path("<str:code>/meetings/<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path(
        "<str:code>/meeting-actions/<int:action_pk>/status/",
        views.action_status,
        name="action-status",
    ),
]
