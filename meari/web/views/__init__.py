"""Views: thin request handlers over meari's plain functions."""
