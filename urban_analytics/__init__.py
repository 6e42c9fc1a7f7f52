# Urban Therapy back office: orders dashboard, customer 360 and analytics
# (KPIs).
