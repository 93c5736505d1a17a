"""URLs for reviewers without an account: the signed expert link."""

from django.urls import path

from review import views

app_name = "review"
urlpatterns = [
    path("expert/<str:token>/", views.expert, name="expert"),
]
