# Urban Therapy website: landing, universes, product and shop pages, QR landing, /pro portal (channel module).
