# Urban Therapy POS bridge: till connectors, webhook inbox, polling, stock
# outbox, reconciliation.
from . import routes  # noqa: F401  (webhook route)
