"""Informal workers: field agents, their people, collections and reports; reminders."""
