"""Uploaded files: safe reading and retention."""
