"""The correction stage: word repair (words.py, confusions.py) and volume layout repair (layout.py)."""
