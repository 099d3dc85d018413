"""Notifications to people: in-app, email."""
