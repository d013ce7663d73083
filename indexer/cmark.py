"""Markdown to HTML with cmark-gfm (GitHub's CommonMark), freeing what cmarkgfm leaks.

``cmarkgfm.markdown_to_html_with_extensions`` never frees the parsed document tree nor the
rendered HTML (cmarkgfm issue #53): about 40 times the size of the Markdown per call, so an
indexer worker grew by 900 MB on a 50,000-post blog and a long-running ``blogsearch watch``
would grow without end. This does the same calls through cmarkgfm's own compiled library and
frees both with cmark's ``cmark_node_free`` and its allocator's ``free``, which the library
exports but cmarkgfm's Python layer does not declare. Where they are not exported (a build
that hides its symbols), it falls back to cmarkgfm's function, leak included.
"""

from __future__ import annotations

import ctypes
import threading
from functools import lru_cache

import cmarkgfm
from cmarkgfm import _cmark

_lib, _ffi = _cmark.lib, _cmark.ffi
_lock = threading.Lock()  # cmark's extension registry is global


class _Allocator(ctypes.Structure):
    """cmark's ``cmark_mem``: the calloc, realloc and free it allocated the HTML with."""

    _fields_ = [("calloc", ctypes.c_void_p), ("realloc", ctypes.c_void_p),
                ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p))]


def _freeing_functions():
    """(cmark_node_free, the allocator's free) from the compiled library, or None."""
    try:
        library = ctypes.CDLL(_cmark.__file__)
        node_free = library.cmark_node_free
        default_allocator = library.cmark_get_default_mem_allocator
    except (OSError, AttributeError):
        return None
    node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
    default_allocator.argtypes, default_allocator.restype = [], ctypes.POINTER(_Allocator)
    return node_free, default_allocator().contents.free


_FREEING = _freeing_functions()


def _address(pointer) -> int:
    return int(_ffi.cast("uintptr_t", pointer))


@lru_cache(maxsize=8)
def _extensions(names: tuple[str, ...]) -> list:
    """cmark's (global, never freed) syntax extensions of these names."""
    with _lock:
        _lib.cmark_gfm_core_extensions_ensure_registered()
        found = [_lib.cmark_find_syntax_extension(name.encode()) for name in names]
    if any(extension == _ffi.NULL for extension in found):
        raise ValueError(f"unknown cmark extension in {names}")
    return found


def markdown_to_html(text: str, options: int, extensions: tuple[str, ...]) -> str:
    """``text`` rendered to HTML with cmark ``options`` and the named GFM ``extensions``."""
    if _FREEING is None:
        return cmarkgfm.markdown_to_html_with_extensions(text, options=options,
                                                        extensions=list(extensions))
    node_free, free = _FREEING
    found = _extensions(extensions)
    encoded = text.encode("utf-8")
    parser = _lib.cmark_parser_new(options)
    try:
        for extension in found:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        _lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = _lib.cmark_parser_finish(parser)
        try:
            rendered = _lib.cmark_render_html(root, options,
                                              _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(rendered).decode("utf-8")
            finally:
                free(_address(rendered))
        finally:
            node_free(_address(root))
    finally:
        _lib.cmark_parser_free(parser)
