"GET /api/v1/shops: the shops with hours, address, coordinates, pickup."
from . import api, schemas


def shop_schema(location):
    address = location.address
    return schemas.Shop(
        code=location.shop_code,
        name=location.name,
        address=schemas.Address(
            street=address.street or None,
            postal_code=address.postal_code or None,
            city=address.city or None,
            country=address.country.code if address.country else None,
            ) if address else None,
        coordinates=schemas.Coordinates(
            latitude=float(location.latitude),
            longitude=float(location.longitude),
            ) if location.latitude is not None
        and location.longitude is not None else None,
        phone=location.phone or None,
        pickup_enabled=bool(location.pickup_enabled),
        opening_hours=[schemas.OpeningHours(
                weekday=int(h.weekday),
                opens=h.opens.strftime('%H:%M'),
                closes=h.closes.strftime('%H:%M'))
            for h in sorted(location.opening_hours,
                key=lambda h: (int(h.weekday), h.opens))],
        )


def shops(pool):
    "Every physical shop (a warehouse flagged as shop)"
    Location = pool.get('stock.location')
    return Location.search([
            ('type', '=', 'warehouse'),
            ('shop', '=', True),
            ], order=[('name', 'ASC')])


@api.endpoint('GET', '/shops', summary="List the shops", tags=['shops'],
    response=schemas.ShopList, public_cache=True)
def list_shops(call):
    return api.etag_response(call.request, schemas.ShopList(
            items=[shop_schema(s) for s in shops(call.pool)]), max_age=300)
