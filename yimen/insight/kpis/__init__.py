"""The command centre's KPIs: definitions (what each means), periods, and their computation."""
