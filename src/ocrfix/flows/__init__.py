"""Prefect flows over the ocrfix library: orchestration only, no OCR logic here."""
