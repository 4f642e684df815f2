"""Many requests at once: discovering files, checking them in parallel, and reading uploads safely."""
