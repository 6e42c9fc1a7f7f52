# Urban Therapy POS bridge: till connectors, webhook inbox, polling, stock outbox, reconciliation.
