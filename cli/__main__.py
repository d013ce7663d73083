"""``python -m blogsearch.cli``: the ``blogsearch`` command."""

from .main import main

main()
