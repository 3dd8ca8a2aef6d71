"""Sub-commands of ``meari``: argument parsing and I/O only, no business rules."""
