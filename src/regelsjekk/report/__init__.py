"""One report layout rendered to text, Markdown, HTML, CSV, JSON and a draft lokal forskrift."""
