"""Other systems calling the portal: registered clients, their tokens, and replayed answers."""
