"""The report formats and their file extensions: a module of its own so the CLI can offer the
choices without importing the renderers (and Jinja2) on every call."""

FORMATS = ("text", "json", "md", "html", "csv", "forskrift")
EXTENSIONS = {"text": "txt", "json": "json", "md": "md", "html": "html", "csv": "csv",
              "forskrift": "forskrift.txt"}
