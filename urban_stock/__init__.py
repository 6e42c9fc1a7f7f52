# Urban Therapy stock: shops as warehouses, availability, reservations,
# routing.
# Imported with the module, as its routes would be: Tryton's doors that
# sleep on failures replaced by the login limits of login.py, and the
# JSON-RPC errors of the back office without internal text.
from urbantherapy import nosleep, rpc_errors  # noqa: F401
