"""Complaints about public service: intake, workflow, SLA."""
