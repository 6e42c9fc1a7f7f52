# Urban Therapy on Ankorstore: retailers' wholesale orders polled and
# webhooked into sales that reserve the unified stock, accepted or rejected
# from the back office.
from . import routes  # noqa: F401  (webhook route)
