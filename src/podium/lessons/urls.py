from django.urls import path

from podium.lessons import views

app_name = "lessons"

urlpatterns = [
    path("lessons/", views.register, name="register"),
    path("lessons/export.json", views.export_json, name="export-json"),
    path("lessons/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("programs/<str:code>/lessons/", views.program_lessons, name="program"),
    path("programs/<str:code>/lessons/new/", views.lesson_new, name="new"),
    path("programs/<str:code>/lessons/<int:pk>/", views.lesson_detail, name="detail"),
    path("programs/<str:code>/lessons/<int:pk>/edit/", views.lesson_edit, name="edit"),
    path("programs/<str:code>/lessons/<int:pk>/vote/", views.lesson_vote, name="vote"),
    path("programs/<str:code>/lessons/<int:pk>/accept/", views.lesson_accept, name="accept"),
    path("programs/<str:code>/lessons/<int:pk>/apply/", views.lesson_apply, name="apply"),
    path("programs/<str:code>/lessons/sessions/new/", views.session_new, name="session-new"),
    path("programs/<str:code>/lessons/sessions/<int:pk>/", views.session_detail, name="session"),
    path(
        "programs/<str:code>/lessons/sessions/<int:pk>/hold/",
        views.session_hold,
        name="session-hold",
    ),
]
