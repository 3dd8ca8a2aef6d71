"""Campaign store, workflow and ledger (later issue)."""
