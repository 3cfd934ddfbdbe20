"""Pages of the resident registry: search, cards, roster, coverage and 十户联防 groups."""
