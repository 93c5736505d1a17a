"""URLs for the mailing list."""

from django.urls import path

from mailinglist import views

app_name = "mailinglist"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/", views.confirm, name="confirm"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
