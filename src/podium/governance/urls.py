from django.urls import path

from podium.governance import views, views_agenda, views_criteria

app_name = "governance"

urlpatterns = [
    path("<str:code>/governance/", views.gates, name="gates"),
    path("<str:code>/governance/reviews/", views.review_open, name="review-open"),
    path("<str:code>/governance/reviews/<int:pk>/", views.review_detail, name="review"),
    path(
        "<str:code>/governance/reviews/<int:pk>/evidence/", views.evidence_add, name="evidence-add"
    ),
    path(
        "<str:code>/governance/reviews/<int:pk>/recommend/",
        views.review_recommend,
        name="recommend",
    ),
    path("<str:code>/governance/reviews/<int:pk>/decide/", views.review_decide, name="decide"),
    path("<str:code>/governance/reviews/<int:pk>/cancel/", views.review_cancel, name="cancel"),
    path(
        "<str:code>/governance/evidence/<int:pk>/check/",
        views.evidence_check,
        name="evidence-check",
    ),
    path("<str:code>/governance/evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path(
        "<str:code>/governance/conditions/<int:pk>/done/",
        views.condition_done,
        name="condition-done",
    ),
    path("<str:code>/governance/decisions/", views.decisions, name="decisions"),
    path("<str:code>/governance/agenda/", views_agenda.agenda, name="agenda"),
    path("<str:code>/governance/criteria/", views_criteria.criteria_page, name="criteria"),
    path(
        "<str:code>/governance/criteria/<int:pk>/remove/",
        views_criteria.criterion_remove,
        name="criterion-remove",
    ),
    path(
        "<str:code>/governance/decisions/<int:number>/",
        views.decision_detail,
        name="decision",
    ),
    path("<str:code>/governance/board/", views.board, name="board"),
    path("<str:code>/governance/board/<int:pk>/remove/", views.board_remove, name="board-remove"),
    path(
        "<str:code>/components/<int:pk>/authorization/",
        views.authorization,
        name="authorization",
    ),
]
