# Urban Therapy shipping: ship-from-store with Sendcloud labels.
