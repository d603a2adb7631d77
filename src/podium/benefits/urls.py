from django.urls import path

from podium.benefits import views

app_name = "benefits"

urlpatterns = [
    path("<str:code>/benefits/", views.register, name="register"),
    path("<str:code>/benefits/new/", views.benefit_new, name="benefit-new"),
    path("<str:code>/benefits/traceability/", views.traceability, name="traceability"),
    path("<str:code>/benefits/<int:pk>/", views.benefit_detail, name="benefit"),
    path("<str:code>/benefits/<int:pk>/edit/", views.benefit_edit, name="benefit-edit"),
    path("<str:code>/benefits/<int:pk>/measure/", views.measure, name="measure"),
]
