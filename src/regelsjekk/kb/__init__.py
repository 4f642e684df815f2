"""The knowledge base: the imported store read-only, the built-in documents from rules/, tags on nodes, and the graph."""
