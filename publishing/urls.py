"""URLs for the publishing kernel: signed preview links."""

from django.urls import path

from publishing import views

app_name = "publishing"
urlpatterns = [
    path("<str:token>/", views.preview, name="preview"),
]
