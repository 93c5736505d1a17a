"""URLs for the mailing list."""

from django.urls import path

from mailinglist import views

app_name = "mailinglist"
urlpatterns = [path("", views.SignupView.as_view(), name="signup")]
