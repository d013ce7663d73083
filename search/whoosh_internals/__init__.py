"""Everything of blogsearch that reads or writes Whoosh's private structures, in one place.

The rest of ``search/`` uses Whoosh's public API and calls the small functions here with plain
arguments.
"""
