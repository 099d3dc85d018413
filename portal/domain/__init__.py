"""Pure domain rules. Nothing here imports Flask or touches the database."""
