"""Accounts: sign-up, login, sessions, passwords, staff."""
