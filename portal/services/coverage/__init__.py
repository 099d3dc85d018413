"""Coverage figures, workforce estimates, targets, reports."""
