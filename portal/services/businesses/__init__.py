"""Businesses: registration, verification, directory."""
