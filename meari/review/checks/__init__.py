"""Check modules; each exposes ``CHECKS: list[Check]`` (see meari.review.registry)."""
