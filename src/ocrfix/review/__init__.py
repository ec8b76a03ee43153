"""The review loop: what needs a person (items.py), image snippets (snippets.py), the report
(report.py), checking and applying a reviewer's decisions (decisions.py), and serving the report to
the reviewer alone (serve.py)."""
