"""The review loop: what needs a person (items.py), image snippets (snippets.py), the report
(report.py), and applying a reviewer's decisions (decisions.py)."""
