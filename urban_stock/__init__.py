# Urban Therapy stock: shops as warehouses, availability, reservations, routing.
