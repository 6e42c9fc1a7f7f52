"""The production topology: one entrypoint for every role (docker/ and
`make prod-local` both call it), the database preparation that `migrate`
does, the local supervisor and its reverse proxy.

    python -m urbantherapy.prod migrate|web|worker|cron|console|backup|restore
    python -m urbantherapy.prod.local       # make prod-local
"""
