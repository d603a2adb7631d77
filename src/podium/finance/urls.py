from django.urls import path

from podium.finance import views

app_name = "finance"

urlpatterns = [
    path("<str:code>/budget/", views.budget, name="budget"),
    path("<str:code>/budget/compare/", views.compare, name="compare"),
    path("<str:code>/budget/history/", views.history, name="history"),
    path("<str:code>/budget/accounts/", views.account_create, name="account-create"),
    path("<str:code>/budget/baselines/", views.baseline_create, name="baseline-create"),
    path("<str:code>/budget/baselines/<int:pk>/", views.baseline_update, name="baseline-update"),
    path("<str:code>/budget/baselines/<int:pk>/lines/", views.line_add, name="line-add"),
    path(
        "<str:code>/budget/baselines/<int:pk>/approve/",
        views.baseline_approve,
        name="baseline-approve",
    ),
    path(
        "<str:code>/budget/baselines/<int:pk>/history/",
        views.baseline_history,
        name="baseline-history",
    ),
    path("<str:code>/budget/lines/<int:pk>/", views.line_update, name="line-update"),
    path("<str:code>/budget/lines/<int:pk>/remove/", views.line_remove, name="line-remove"),
    path("<str:code>/budget/changes/", views.change_list, name="changes"),
    path("<str:code>/budget/changes/new/", views.change_new, name="change-new"),
    path("<str:code>/budget/changes/<int:pk>/", views.change_detail, name="change"),
    path("<str:code>/budget/changes/<int:pk>/decide/", views.change_decide, name="change-decide"),
    path("<str:code>/performance/", views.performance, name="performance"),
    path("<str:code>/performance/snapshots/", views.snapshot_take, name="snapshot-take"),
    path("<str:code>/costs/", views.actuals, name="actuals"),
    path("<str:code>/costs/import/", views.actuals_import, name="actuals-import"),
]
