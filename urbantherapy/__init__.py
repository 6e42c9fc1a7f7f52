"Urban Therapy platform tooling: WSGI middleware, demo loader, test helpers."
