"""Employer compliance under PP 86/2013."""
