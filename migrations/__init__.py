"""Alembic migrations for the quotes database.

A package so it ships with the wheel; :mod:`quotes.store` points Alembic's
``script_location`` at this directory, so no ``alembic.ini`` is needed.
"""
