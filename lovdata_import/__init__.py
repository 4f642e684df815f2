"""Import of Lovdata's public data (archives, folders, download) into regelsjekk's store.

archive.py streams members safely, parse.py turns one XML document into model.Document,
load.py writes the SQLite store atomically, download.py fetches the public archives.
"""

# Bump when parsing changes what is stored: a later import then re-reads unchanged files.
PARSER_VERSION = "1"
