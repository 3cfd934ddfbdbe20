"""Pre-aggregated case figures: the raw grouped queries (facts) and their stored rollups (store)."""
