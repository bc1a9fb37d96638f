from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/file/", views.import_file, name="import_file"),
    path("imports/<int:pk>/rejected.xlsx", views.import_rejected, name="import_rejected"),
    path("imports/templates/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
]
