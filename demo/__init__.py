"""MIPR's 2025 process from the seed document, for `manage.py load_mipr_demo`.

Every loader is idempotent: it looks things up by a natural key and only
creates what is missing, so that loading twice changes nothing.
"""
