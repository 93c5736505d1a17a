"""URLs for contacts."""

from django.urls import path

from contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.ContactListView.as_view(), name="index"),
    path("<slug:slug>/", views.contact_detail, name="detail"),
    path("<slug:slug>/thanks/", views.enquiry_thanks, name="thanks"),
]
