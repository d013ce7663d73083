"""The ``blogsearch`` command: a thin shell over ``indexer`` (index, watch), ``search`` (query)
and ``web`` (serve, report). It sits above all three; none of them imports it."""
