from django.urls import include, path

from . import views

urlpatterns = [
    path("dispatch/", views.dispatch_table, name="reporting_dispatch"),
    path("dispatch/recompute/", views.dispatch_recompute, name="reporting_dispatch_recompute"),
    path("dispatch/export.<str:fmt>", views.dispatch_export, name="reporting_dispatch_export"),
    path("dispatch/people/<str:code>/<str:key>/", views.dispatch_people, name="reporting_people"),
    path("periods/", views.period_list, name="reporting_periods"),
    path("periods/<str:deadline>/", views.period_detail, name="reporting_period"),
    path("periods/<str:deadline>/export.<str:fmt>", views.period_export, name="reporting_period_export"),
    path("periods/<str:deadline>/submit/", views.period_submit, name="reporting_submit"),
    path("periods/<str:deadline>/remind/", views.period_remind, name="reporting_remind"),
    path("periods/<str:deadline>/bulletin/", views.period_bulletin, name="reporting_bulletin"),
    path("periods/<str:deadline>/bulletin.pdf", views.period_bulletin_pdf, name="reporting_bulletin_pdf"),
    path("reports/<int:pk>/", views.report_detail, name="reporting_report"),
    path("reports/<int:pk>/review/", views.report_review, name="reporting_review"),
    path("reports/<int:pk>/export.<str:fmt>", views.report_export, name="reporting_report_export"),
    path("dashboard/", views.dashboard, name="reporting_dashboard"),
    path("", include("reporting.subsidy.urls")),
]
