"""Employees of registered businesses and their records."""
