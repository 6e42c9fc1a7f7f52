# Urban Therapy customer service (domain module): the conversations a
# customer opens with a shop (about an order, a product, a return), their
# messages and photos, which shop answers them and who may read them, and
# the e-mail telling the customer that the shop answered. The channels
# (urban_mobile_api, urban_website) open and read them over HTTP; the app's
# push extends the answer's notification (urban_mobile_api).
