# Urban Therapy app API /api/v1 (channel module: thin, on top of the domain modules).
