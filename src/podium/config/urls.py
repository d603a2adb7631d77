from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from podium.accounts import views as account_views
from podium.accounts.api import router as accounts_router
from podium.benefits.api import router as benefits_router
from podium.changes.api import router as changes_router
from podium.core import views as core_views
from podium.core.api import api
from podium.dashboard.api import router as dashboard_router
from podium.delivery.api import router as delivery_router
from podium.discussions.api import router as discussions_router
from podium.exports.api import router as exports_router
from podium.feedback.api import router as feedback_router
from podium.finance.api import router as finance_router
from podium.forecast.api import router as forecast_router
from podium.governance.api import router as governance_router
from podium.lessons.api import router as lessons_router
from podium.meetings.api import router as meetings_router
from podium.notifications.api import router as notifications_router
from podium.programs.api import router as programs_router
from podium.reports.api import router as reports_router
from podium.resources.api import router as resources_router
from podium.risks.api import router as risks_router
from podium.schedule.api import router as schedule_router
from podium.stakeholders.api import router as stakeholders_router
from podium.updates.api import router as updates_router
from podium.work.api import router as work_router

api.add_router("/v1/", accounts_router)
api.add_router("/v1/", programs_router)
api.add_router("/v1/", schedule_router)
api.add_router("/v1/", resources_router)
api.add_router("/v1/", finance_router)
api.add_router("/v1/", forecast_router)
api.add_router("/v1/", risks_router)
api.add_router("/v1/", delivery_router)
api.add_router("/v1/", benefits_router)
api.add_router("/v1/", notifications_router)
api.add_router("/v1/", stakeholders_router)
api.add_router("/v1/", feedback_router)
api.add_router("/v1/", governance_router)
api.add_router("/v1/", changes_router)
api.add_router("/v1/", lessons_router)
api.add_router("/v1/", reports_router)
api.add_router("/v1/", dashboard_router)
api.add_router("/v1/", exports_router)
api.add_router("/v1/", work_router)
api.add_router("/v1/", updates_router)
api.add_router("/v1/", discussions_router)
api.add_router("/v1/", meetings_router)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="programs:list", permanent=False)),
    path("api/", api.urls),
    path("healthz", core_views.health, name="health"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("podium.accounts.urls")),
    path("users/", account_views.users, name="users"),
    path("account/tokens/", account_views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token-revoke"),
    path("jobs/<int:pk>/", core_views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", core_views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/result.json", core_views.job_result, name="job-result"),
    path("programs/", include("podium.programs.urls")),
    path("programs/", include("podium.schedule.urls")),
    path("programs/", include("podium.resources.urls")),
    path("programs/", include("podium.finance.urls")),
    path("programs/", include("podium.forecast.urls")),
    path("programs/", include("podium.risks.urls")),
    path("programs/", include("podium.delivery.urls")),
    path("programs/", include("podium.benefits.urls")),
    path("programs/", include("podium.stakeholders.urls")),
    path("programs/", include("podium.feedback.urls")),
    path("programs/", include("podium.governance.urls")),
    path("programs/", include("podium.changes.urls")),
    path("programs/", include("podium.reports.urls")),
    path("programs/", include("podium.dashboard.urls")),
    path("programs/", include("podium.exports.urls")),
    path("", include("podium.lessons.urls")),
    path("", include("podium.work.urls")),
    path("programs/", include("podium.updates.urls")),
    path("programs/", include("podium.discussions.urls")),
    path("programs/", include("podium.meetings.urls")),
    path("notifications/", include("podium.notifications.urls")),
]
