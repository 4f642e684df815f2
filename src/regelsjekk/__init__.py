"""regelsjekk: Norwegian laws as a graph of provisions, and a checker for trial exemptions."""

__version__ = "0.1.0"
