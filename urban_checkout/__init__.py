# Urban Therapy checkout (domain module): the cart of the web shop the app
# and the website sell through, the checkout's rules (place_order), the
# online payments (Stripe, Mollie) and their refunds, the delivery methods
# (Sendcloud). The channels (urban_mobile_api, urban_website) answer HTTP
# with it.
