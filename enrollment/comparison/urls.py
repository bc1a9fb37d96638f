from django.urls import path

from . import views

urlpatterns = [
    path("comparison/", views.comparison_page, name="comparison"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/reason/", views.case_reason, name="case_reason"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
]
