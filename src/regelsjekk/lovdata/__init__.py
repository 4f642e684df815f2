"""Import of Lovdata's public data (archives, folders, download) into regelsjekk's store.

archive.py   safe streaming of tar archives, folders and files (limits, traversal, links)
download.py  Lovdata's public data API: /list and /get/<filename>
parse.py     one XML document → model.Document (header.py: metadata; labels.py: numbers;
             refs.py: link targets, ranges, ledd words)
pipeline.py  reader process → parse workers → writer, in order
load.py      writes the SQLite store atomically; postpass.py: ranges, fixes, graph edges
fulltext.py  the full-text index (FTS5): of a new store built beside the post-pass
summary.py   what an import did (text and JSON) and its progress line
"""

# Bump when parsing changes what is stored: a later import then re-reads unchanged files.
PARSER_VERSION = "3"  # 2: list labels, text order (nodes.label, nodes.pos); 3: notes apart
