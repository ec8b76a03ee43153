"""The entry point `prefect.yaml`'s deployment names (`flows/schedule.py:digitise_folders`), a file a
worker loads from the checkout; the flow itself is `ocrfix.flows.schedule`'s, installed with the package."""

from ocrfix.flows.schedule import digitise_folders

__all__ = ["digitise_folders"]
