"""Campaign workbench store: Django models, workflow rules, product store and the audit ledger.

Entry points: :mod:`meari.campaign.rules` (who may do what, plain functions), :mod:`meari.campaign.workflow`
(the state changes, each with its ledger entry in one transaction), :mod:`meari.campaign.ledger`
(verify, checkpoint, export), :mod:`meari.campaign.db` / :mod:`meari.campaign.setup` (database settings).
Importing this package does not import Django; the submodules that need it do.
"""
