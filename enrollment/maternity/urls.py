from django.urls import path

from . import views

urlpatterns = [
    path("maternity/", views.maternity_list, name="maternity"),
]
