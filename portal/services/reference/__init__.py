"""Reference data: shipped rows and cached lookups."""
