from django.urls import path

from . import views

urlpatterns = [
    path("persons/", views.person_list, name="persons"),
    path("persons/export.<str:fmt>", views.person_export, name="person_export"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
