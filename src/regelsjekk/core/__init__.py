"""The vocabulary every other package speaks: provision ids, the document model, paths, errors. Imports nothing of ours."""
