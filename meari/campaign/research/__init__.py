"""Audience analysis, themes, pretests and effects: a Django app (label ``research``) beside the store.

Models in :mod:`.models`; changes only through :mod:`.workflow` (rules checked, ledger appended in the same
transaction); profile validation in :mod:`.schema` and the shipped theme catalogue in :mod:`.themes` (no
Django); plots in :mod:`.render`; statistics in :mod:`meari.campaign.stats`.
"""
