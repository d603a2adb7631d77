from django.urls import path

from podium.risks import views

app_name = "risks"

urlpatterns = [
    path("<str:code>/risks/", views.register, name="register"),
    path("<str:code>/risks/new/", views.risk_new, name="risk-new"),
    path("<str:code>/risks/<int:pk>/", views.risk_detail, name="risk"),
    path("<str:code>/risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("<str:code>/risks/<int:pk>/escalate/", views.risk_escalate, name="risk-escalate"),
    path("<str:code>/risks/<int:pk>/occur/", views.risk_occur, name="risk-occur"),
    path("<str:code>/risks/<int:pk>/actions/", views.action_add, name="action-add"),
    path("<str:code>/risk-actions/<int:pk>/", views.action_status, name="action-status"),
    path("<str:code>/issues/", views.issues, name="issues"),
    path("<str:code>/issues/new/", views.issue_new, name="issue-new"),
    path("<str:code>/issues/<int:pk>/", views.issue_detail, name="issue"),
    path("<str:code>/issues/<int:pk>/escalate/", views.issue_escalate, name="issue-escalate"),
    path("<str:code>/estimates/", views.estimates, name="estimates"),
    path("<str:code>/estimates/<int:pk>/", views.estimate_save, name="estimate-save"),
    path("<str:code>/correlations/", views.correlation_add, name="correlation-add"),
    path(
        "<str:code>/correlations/<int:pk>/remove/",
        views.correlation_remove,
        name="correlation-remove",
    ),
]
