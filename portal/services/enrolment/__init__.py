"""Enrolment requests: submission by owners, BPJS's queue."""
