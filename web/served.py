"""The app ``blogsearch serve`` runs in each worker process, configured from the environment.

``serve`` checks the index, sets ``BLOGSEARCH_INDEX`` (and ``BLOGSEARCH_SERVE_NO_LOG`` for
``--no-log``), then starts granian, whose worker processes call ``app_from_environment``.
"""

from __future__ import annotations

import gc
import os
import time

import click
from flask import Flask

from blogsearch.search.layout import default_index

from .app import create_app
from .settings import NO_LOG_ENV


def app_from_environment() -> Flask:
    """A worker's app over ``$BLOGSEARCH_INDEX``, its index read before the first request."""
    index_dir = default_index()
    app = create_app({"INDEX_DIR": index_dir, "SEARCH_LOG": os.environ.get(NO_LOG_ENV) != "1"})
    started = time.perf_counter()
    app.extensions["blogsearch"].engine.warm()
    # What the worker has read so far lives as long as it does: out of the garbage collector's
    # sight, a full collection no longer walks it (one took about 25 ms, inside a search).
    gc.freeze()
    click.echo(f"blogsearch: worker {os.getpid()} read the index in "
               f"{time.perf_counter() - started:.2f} s")
    return app
