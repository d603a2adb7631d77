from django.urls import path

from podium.delivery import views

app_name = "delivery"

urlpatterns = [
    path("<str:code>/deliverables/", views.board, name="board"),
    path("<str:code>/deliverables/new/", views.deliverable_new, name="new"),
    path("<str:code>/deliverables/<int:pk>/", views.deliverable_detail, name="detail"),
    path("<str:code>/deliverables/<int:pk>/edit/", views.deliverable_edit, name="edit"),
    path("<str:code>/deliverables/<int:pk>/accept/", views.deliverable_accept, name="accept"),
    path("<str:code>/deliverables/<int:pk>/reject/", views.deliverable_reject, name="reject"),
    path("<str:code>/deliverables/<int:pk>/step/<str:step>/", views.deliverable_step, name="step"),
    path("<str:code>/deliverables/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("<str:code>/evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("<str:code>/acceptances/", views.acceptances, name="acceptances"),
    path("<str:code>/components/<int:pk>/handover/", views.transition_plan, name="plan"),
    path("<str:code>/components/<int:pk>/handover/items/", views.item_add, name="item-add"),
    path("<str:code>/transition-items/<int:pk>/tick/", views.item_tick, name="item-tick"),
    path("<str:code>/transition-items/<int:pk>/remove/", views.item_remove, name="item-remove"),
]
