"""The HTTP API (`regelsjekk serve`): the CLI's answers under /v1 for case-management systems."""
