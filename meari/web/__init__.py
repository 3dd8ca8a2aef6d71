"""The workbench in a browser: Django views, templates (HTMX), static files, the JSON API, settings.

Views only parse the request, call the plain functions of :mod:`meari.campaign` (who may do what),
:mod:`meari.lang`, :mod:`meari.review` and :mod:`meari.produce`, and render the result. No business
rule lives here: a rule enforced by a page is enforced by the API because both call the same function.
"""
