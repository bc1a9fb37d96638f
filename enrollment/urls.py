from django.urls import path

from . import comparison_views, import_views, person_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/file/", import_views.import_file, name="import_file"),
    path("imports/templates/<str:kind>.<str:fmt>", import_views.import_template, name="import_template"),
    path("persons/", person_views.person_list, name="persons"),
    path("persons/export.<str:fmt>", person_views.person_export, name="person_export"),
    path("persons/<int:pk>/", person_views.person_detail, name="person_detail"),
    path("comparison/", comparison_views.comparison_page, name="comparison"),
    path("cases/", comparison_views.case_list, name="cases"),
    path("cases/<int:pk>/reason/", comparison_views.case_reason, name="case_reason"),
    path("duplicates/", comparison_views.duplicate_list, name="duplicates"),
]
