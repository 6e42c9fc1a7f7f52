# Urban Therapy catalogue: what we sell (creators, universes, products).
