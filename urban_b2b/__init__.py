# Urban Therapy B2B: pro accounts, approval, price lists, pro orders, Peppol
# invoices.
