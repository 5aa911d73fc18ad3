"""Pith: the pith of a news page — clean text, summary, key facts and attributed quotes."""

__version__ = "0.1.0"
