"""Text primitives shared by every stage: sentences and language."""
