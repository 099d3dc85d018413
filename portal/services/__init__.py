"""Use cases that change state. Each writes its audit event; views commit once."""
