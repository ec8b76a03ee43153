"""Every external program ocrfix runs, one module each (as OCRmyPDF's `_exec/`)."""
