from django.urls import include, path

from podium.feedback import views

app_name = "feedback"

urlpatterns: list[object] = [
    path("", include("podium.feedback.urls_reports")),
    # Lower-case "portal" can never be a program code (codes are capitals).
    path("portal/feedback/", views.portal, name="portal"),
    path("<str:code>/my-feedback/", views.mine, name="mine"),
    path("<str:code>/feedback/", views.triage, name="triage"),
    path("<str:code>/feedback/export.csv", views.export, name="export"),
    path("<str:code>/feedback/import/", views.import_csv, name="import"),
    path("<str:code>/feedback/settings/", views.settings, name="settings"),
    path("<str:code>/feedback/<int:pk>/", views.detail, name="detail"),
    path("<str:code>/feedback/<int:pk>/plan/", views.plan, name="plan"),
    path("<str:code>/feedback/<int:pk>/decline/", views.decline, name="decline"),
    path("<str:code>/feedback/<int:pk>/link/", views.link, name="link"),
    path("<str:code>/feedback/<int:pk>/unlink/<int:action_pk>/", views.unlink, name="unlink"),
    path("<str:code>/feedback/<int:pk>/<str:name>/", views.step, name="step"),
    path("<str:code>/feedback-attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/feedback-actions/", views.actions, name="actions"),
    path("<str:code>/feedback-actions/<int:pk>/", views.action_edit, name="action-edit"),
]
