"Deterministic demo data that looks like the real business."
