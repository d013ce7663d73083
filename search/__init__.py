"""The blogsearch engine: Spanish analysis, the index, queries, ranking and snippets.

The only package that imports whoosh. Everything it returns is plain Python data.

Modules by job:

- Writing: ``records`` (the Post record), ``analysis`` (the Spanish chain), ``schema``,
  ``store`` (a generation: Whoosh index + manifest), ``layout`` (the index folder), ``segment``
  and ``term_arrays`` (segments built in worker processes), ``failpoints``.
- Searching: ``engine`` (the API: ``Engine``), ``version`` (an open index version and its
  caches), ``query`` (the query language), ``request`` (filter names, sorts, bounds and
  defaults), ``filters``,
  ``plan`` (query → leaf queries), ``leaves``, ``corrections`` and ``spelling`` (typos),
  ``wordlists`` (English or Spanish words), ``postings`` (term-at-a-time scores),
  ``matching`` (which posts count), ``ranking`` (every ranking parameter and formula),
  ``order`` (results page by page), ``results`` (hits and messages), ``snippets``,
  ``sections`` (deep links), ``facets``, ``languages``, ``related``, ``budget`` (what one
  search may cost), ``printable`` (text safe to print).
- Whoosh's private structures, and only there: ``whoosh_internals`` (postings read block by
  block, field lengths, positions bytes, the hand-written segment, the table of contents); its
  docstring lists every private name and layout relied on.
"""
