"""Tools for the people who curate rules/: lint (schema, ids, conflicts, stale reviews) and coverage per law."""
