"""Message review: checks with stable ids producing Findings."""
