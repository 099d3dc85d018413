"""The audit trail: the one place audit events are written."""
