from django.urls import path

from . import views

urlpatterns = [
    path("subsidy/", views.subsidy_page, name="reporting_subsidy"),
    path("subsidy/export.xlsx", views.subsidy_export, name="reporting_subsidy_export"),
    path("subsidy/people/<str:group>/<str:figure>/", views.subsidy_people, name="reporting_subsidy_people"),
]
