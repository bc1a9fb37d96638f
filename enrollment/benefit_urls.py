from django.urls import path

from . import benefit_views

app_name = "benefits"

urlpatterns = [
    path("", benefit_views.calculator, name="calculator"),
]
