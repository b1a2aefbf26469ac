"""Build: a project -> dist/, only what changed, PDFs in worker processes, every write atomic."""
