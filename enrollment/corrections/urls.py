from django.urls import path

from . import views

urlpatterns = [
    path("persons/<int:pk>/changes/new/", views.change_propose, name="change_propose"),
    path("changes/", views.change_list, name="changes"),
    path("changes/approve/", views.change_approve_many, name="change_approve_many"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change_decide"),
    path("changes/<int:pk>/attachment/", views.change_attachment, name="change_attachment"),
]
