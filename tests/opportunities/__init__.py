"""Tests for funding opportunities."""
