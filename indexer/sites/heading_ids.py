"""Which heading-id rule (``blogsearch.indexer.anchors.RULES``) a site's config chooses; "none" when its
Markdown renderer is set to give headings no id. Each reads the config as its generator does."""

from __future__ import annotations

from typing import Any

NONE = "none"


def _nested(data: Any, *keys: str) -> dict:
    """``data[k1][k2]...`` with keys matched case-insensitively; {} where a level is missing."""
    for key in keys:
        if not isinstance(data, dict):
            return {}
        data = {str(k).lower(): v for k, v in data.items()}.get(key, {})
    return data if isinstance(data, dict) else {}


def hugo(config: dict) -> str:
    """``markup.goldmark.parser``: ``autoHeadingID`` and ``autoHeadingIDType``."""
    parser = {str(k).lower(): v for k, v in _nested(config, "markup", "goldmark", "parser").items()}
    if parser.get("autoheadingid") is False:
        return NONE
    kind = str(parser.get("autoheadingidtype") or "github").lower()
    return {"github-ascii": "goldmark-ascii", "blackfriday": "blackfriday"}.get(kind, "goldmark")


def jekyll(config: dict) -> str:
    """kramdown (Jekyll's default): GFM input unless ``kramdown.input`` says otherwise."""
    if str(config.get("markdown") or "kramdown").lower() != "kramdown":
        return NONE  # CommonMark and others make no ids by default
    kramdown = _nested(config, "kramdown")
    if kramdown.get("auto_ids") is False:
        return NONE
    return "kramdown" if str(kramdown.get("input") or "GFM").lower() == "kramdown" else "kramdown-gfm"


def python_markdown(extensions: Any) -> str:
    """Pelican's ``MARKDOWN`` or Nikola's ``MARKDOWN_EXTENSIONS``: the ``toc`` extension makes the
    ids; a setting that leaves it out makes none (unset, the ``toc`` rule is assumed)."""
    if extensions is None:
        return "toc"
    if isinstance(extensions, dict):
        extensions = [*(extensions.get("extension_configs") or {}), *(extensions.get("extensions") or [])]
    names = [str(name) for name in extensions] if isinstance(extensions, (list, tuple)) else []
    return "toc" if any(name.split(".")[-1].split(":")[0] == "toc" for name in names) else NONE


def hexo(config: dict) -> str:
    """hexo-renderer-marked: ``marked.headerIds`` and ``marked.modifyAnchors`` (1 lower, 2 upper)."""
    marked = _nested(config, "marked")
    if marked.get("headerIds") is False or marked.get("headerids") is False:
        return NONE
    return {1: "hexo-lower", 2: "hexo-upper"}.get(marked.get("modifyAnchors"), "hexo")


def zola(config: dict) -> str:
    """``slugify.anchors``: "on" (the default) is the only setting whose ids are rewritten."""
    return "zola" if str(_nested(config, "slugify").get("anchors", "on")) == "on" else NONE


def eleventy(config_text: str) -> str:
    """markdown-it-anchor when the config uses it (with Eleventy's ``slugify`` filter when it
    passes that), else none: Eleventy's Markdown gives headings no id."""
    if "markdown-it-anchor" not in config_text:
        return NONE
    return "slugify" if "slugify" in config_text.split("markdown-it-anchor", 1)[1] else "markdown-it-anchor"
