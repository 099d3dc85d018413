"""Demo records (`flask seed-demo`) and the city-scale seed (`flask seed-scale`)."""
