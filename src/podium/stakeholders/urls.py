from django.urls import path

from podium.stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("<str:code>/stakeholders/", views.stakeholder_list, name="list"),
    path("<str:code>/stakeholders/new/", views.stakeholder_new, name="new"),
    path("<str:code>/stakeholders/import/", views.stakeholder_import, name="import"),
    path("<str:code>/stakeholders/assessment/", views.assessment, name="assessment"),
    path("<str:code>/stakeholders/<int:pk>/", views.stakeholder_detail, name="detail"),
    path("<str:code>/stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="edit"),
    path("<str:code>/stakeholders/<int:pk>/delete/", views.stakeholder_delete, name="delete"),
    path("<str:code>/stakeholders/<int:pk>/plan/", views.plan_item_add, name="plan-add"),
    path("<str:code>/engagement-plan/<int:pk>/edit/", views.plan_item_edit, name="plan-edit"),
    path("<str:code>/engagement-plan/<int:pk>/remove/", views.plan_item_remove, name="plan-remove"),
]
