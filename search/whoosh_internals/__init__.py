"""Everything of blogsearch that reads or writes Whoosh's private structures, in one place.

The rest of ``search/`` uses Whoosh's public API (``whoosh.query``, ``whoosh.fields``,
``Index.searcher()``, ``reader.postings()``...) and calls the small functions here with plain
arguments. Whoosh is pinned to one minor version (``whoosh3>=3.54.0,<3.55`` in pyproject.toml)
because of what this package relies on; why whoosh3, with figures, and how to move to a new
minor version: docs/whoosh.md.

THE NOTE: every private Whoosh name and undocumented layout we rely on, and what happens if it
changes. "Loud" means an exception or a failing test; "silent" means the same results, slower:
tests/search/test_whoosh_internals.py turns each silent case into a failing test.

``postings_blocks`` (reading postings, term infos, positions):
  - ``SegmentReader._terms`` (a ``W3TermsReader``) with ``.term_info(field, bytes)``,
    ``._codec.postings_reader(postfile, terminfo, format, term=...)`` and ``._postfile``;
    ``SegmentReader._text_to_bytes(field, text)``. If ``_terms``, ``term_info`` or ``_codec``
    go: silent (``TermInfos.readable`` is False, every term is looked up in Whoosh's hash
    table again for its frequency, postings and positions). ``_postfile``, ``_text_to_bytes``
    or ``postings_reader``'s arguments: loud.
  - ``W3LeafMatcher._read_ids``, ``_read_weights``, ``_read_values``, ``_next_block``: if one
    goes, silent (postings are walked through ``id()``, ``weight()`` and ``next()``, three
    Python calls per posting instead of a few per block of 128). After a ``_read_*`` call
    the block is in ``_ids`` (absolute docnums), ``_weights`` (one float each), ``_values``
    (encoded positions); ``_dataoffset`` keys the block cache.
    Those attributes renamed: loud. ``FilterMatcher.child`` unwraps the deleted-documents filter.

``lengths`` (BM25F's field lengths):
  - ``SegmentReader._perdoc._cached_reader(column, LENGTHS_COLUMN)``; the column name
    ``whoosh.codec.whoosh3._lenfield(field)`` (``_<field>_len``), one byte per document
    (``LENGTHS_COLUMN``, ``NumericColumn("B")``), decoded by ``byte_to_length``. Renamed: loud.
    Another layout: wrong scores, caught by tests/search/test_search_postings.py (our scores
    must equal Whoosh's ``BM25F``).

``positions_format`` (positions written by the indexer):
  - ``Positions.encode``'s bytes: ``pack_uint(count)`` then ``pickle.dumps(gaps, 2)``
    (``whoosh.system.pack_uint``). Another layout: phrases find nothing in segments we wrote;
    caught by the segment test and test_whoosh_internals.py (``encode_positions`` against
    ``Positions.encode``).

``segment_writer`` (the segment each index worker writes by hand, and its commit):
  - ``SegmentWriter`` internals: ``__init__(ix, _lk=False, compound=False)`` (no write lock:
    the parent holds it), ``pool`` (replaced by ``TermPool``), ``_tempstorage``,
    ``_check_state()``, ``docnum``, ``_added``, ``perdocwriter`` (``start_doc``, ``add_field``,
    ``add_column_value``, ``finish_doc``, ``close``), ``per_document_reader()``,
    ``fieldwriter`` (``start_field``, ``finish_field``, ``close``, ``_postfile``, ``_fieldid``,
    ``_format``, ``_tindex.add(key, value)``), ``codec._blocklimit``, ``newsegment``,
    ``_flush_segment`` and ``_merge_segments`` (overridden), ``_finalize_segment()``, and
    ``storage.temp_storage`` (wrapped so each process gets its own temporary folder). Renamed:
    loud (an index run fails).
  - The on-disk layout written by hand: the postings file (``WHOOSH3_HEADER_MAGIC``, then per
    block ``pack_int(size)``, negative for the last block, the pickled block info (count, last
    id, max weight, compression level, min and max length bytes) and the pickled, maybe zlib'd,
    block ``(id gaps, weights as W3PostingsWriter._mini_weights, values as _mini_values)``);
    the terms table (key ``pack_ushort(field number) + term bytes``, value
    ``W3TermInfo._struct.pack(...) + pack_long(offset) + pack_int(length)``); blocks of
    ``codec._blocklimit`` postings; ``length_to_byte``. Another layout: a segment Whoosh reads
    wrongly or not at all; tests/search/test_search_segment.py compares every term's postings
    and statistics with what Whoosh's own writer writes, test_whoosh_internals.py reads our
    segment with Whoosh's own matchers.
  - Which blocks are compressed follows whoosh3's own threshold (``COMPRESSION_MIN_SIZE``, 80
    bytes); readers go by the flag each block carries, so another threshold changes only sizes.

``term_pool`` (postings of the segment being written, grouped by term):
  - Whoosh's pool interface as ``SegmentWriter`` uses it when only adding documents:
    ``cleanup()``; runs written to the writer's temporary storage
    (``create_file(name).raw_file()``, ``open_file``, ``delete_file``). Another call on the
    pool: loud.

``toc`` (the table of contents, segment file names):
  - ``whoosh.index.TOC.read(storage, indexname).segments`` (``store`` lists the committed
    segments without opening the index: damage checks, manifest, cleaning a failed run).
    Renamed: loud.
  - Segment files are named ``<index>_<segment id>.<ext>`` and a commit deletes those of
    segments it drops (``TOC._segment_pattern``, ``clean_files``); our ``.bsterms`` files
    (``term_arrays``) are named so. Another naming: silent, stale ``.bsterms`` files stay on
    disk (test_whoosh_internals.py checks a merge removes them).

Outside this package, one undocumented (but public) attribute: ``filters.any_of`` sets
``Or.matcher_type = Or.DEFAULT_MATCHER`` (Whoosh would otherwise preload arrays for small
indexes). Renamed: silent, filters and related posts slower.

Moving to a new whoosh3 minor version (the check list, also in docs/whoosh.md):
  1. Read its changelog for codec, matcher, writer, TOC or format changes.
  2. Raise the bound in pyproject.toml; reinstall (``pip install -e '.[test,bench]'``).
  3. ``python -m pytest -q tests/search/test_whoosh_internals.py
     tests/search/test_search_segment.py tests/search/test_search_postings.py``: the fast
     paths taken, our segments equal Whoosh's, our scores equal Whoosh's.
  4. Diff the names above between the two versions (``whoosh/codec/whoosh3.py``,
     ``writing.py``, ``reading.py``, ``index.py``, ``formats.py``); a new name kept under the
     same job is a change here only.
  5. The whole suite, then ``bench/relevance.py``, ``bench/index_speed.py`` and
     ``bench/query_latency.py``: the same relevance, no slower (docs/whoosh.md has the
     figures to compare with).
  6. An index written by the old version must open and search alike with the new one (the
     on-disk format is Whoosh's; a new format means ``SCHEMA_VERSION`` goes up so users rebuild).
"""
