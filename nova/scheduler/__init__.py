"""nova-scheduler: picks hosts for instances (filters, weighers, claims)."""
