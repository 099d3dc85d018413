"""Reprimand letters from the labour office to an agency."""
