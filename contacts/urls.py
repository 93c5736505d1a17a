"""URLs for contacts."""

from django.urls import path

from contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.ContactListView.as_view(), name="index"),
    path("<slug:slug>/", views.ContactDetailView.as_view(), name="detail"),
]
