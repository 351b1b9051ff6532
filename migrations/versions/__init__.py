"""One Alembic revision per module, named ``NNNN_slug.py``."""
