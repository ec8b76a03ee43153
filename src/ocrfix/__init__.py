"""ocrfix: scanned twentieth-century book pages to clean, aligned, reviewable text."""

__version__ = "0.8.0"
