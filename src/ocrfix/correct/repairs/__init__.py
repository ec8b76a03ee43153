"""The repairs: candidate generators, one module per family, each proposing changes with evidence; `scorer.py` decides."""
