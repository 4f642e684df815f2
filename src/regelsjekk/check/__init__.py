"""The checker: Request + KnowledgeBase -> verdict.Report. Pure: no I/O, no clock, no environment."""
