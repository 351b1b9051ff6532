"""``python -m quotes.cli``: the ``quotes`` command."""
from . import main

main()
