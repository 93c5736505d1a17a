"""Fixtures for the report tests."""

import pytest


@pytest.fixture
def admin_client(client, django_user_model):
    """A logged-in superuser, made without a password so no slow hashing runs per test."""
    user = django_user_model.objects.create_user("chief", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client
