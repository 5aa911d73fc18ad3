"""Extraction: an HTML page or a page copied as text → an Article (text and metadata)."""
