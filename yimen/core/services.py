"""State changes owned by core (security policy, calendar overrides). Each runs in one
transaction and writes its audit entry with it."""
