"""The report formats and their file extensions: a module of its own so the CLI can offer the
choices without importing the renderers (and Jinja2) on every call."""

FORMATS = ("text", "json", "md", "html", "csv", "csv-excel", "forskrift", "docx",
           "forskrift-docx")
EXTENSIONS = {"text": "txt", "json": "json", "md": "md", "html": "html", "csv": "csv",
              "csv-excel": "csv", "forskrift": "forskrift.txt", "docx": "docx",
              "forskrift-docx": "forskrift.docx"}
# Word files are bytes: written to files (or piped), never mixed into text output.
BINARY_FORMATS = frozenset({"docx", "forskrift-docx"})
# One row per request; "csv-excel" is what Norwegian Excel opens: ';' between cells and a BOM.
CSV_FORMATS = frozenset({"csv", "csv-excel"})
EXCEL_BOM = "\ufeff"
