"""Turn a Markdown/HTML post body into clean text (and its code blocks, separately)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from cmarkgfm.cmark import Options
from selectolax.lexbor import LexborHTMLParser

from .cmark import markdown_to_html
from .headings import Heading, place, read_headings

# {{< highlight go >}}...{{< /highlight >}} and {% highlight go %}...{% endhighlight %} → fences
_HUGO_HIGHLIGHT = re.compile(
    r"\{\{[<%]\s*highlight\s*([\w+#.-]*)[^}]*[>%]\}\}(.*?)\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.DOTALL | re.IGNORECASE,
)
_LIQUID_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s*([\w+#.-]*)[^%]*%\}(.*?)\{%-?\s*endhighlight\s*-?%\}",
    re.DOTALL | re.IGNORECASE,
)
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL)
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# The colon comes first so the regex engine jumps from colon to colon; the lookbehind after it
# checks the character before the colon (not a word character or another colon).
_EMOJI = re.compile(r":(?<![\w:].)(?:[a-z0-9_+\-]*[a-z][a-z0-9_+\-]*|[+\-]1):(?![\w:])")
_LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}",
                             re.DOTALL | re.IGNORECASE)
_BLOCK_TAGS = "p,div,li,dt,dd,br,tr,td,th,h1,h2,h3,h4,h5,h6,blockquote,section,article,hr,table,ul,ol"
_NOISE_TAGS = "script,style,noscript,template,iframe,object,svg"
MAX_NESTABLE_TAGS = 5000
_ANY_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS.replace(',', '|')})\b[^>]*>", re.IGNORECASE)
# Runs of horizontal space, except a lone " " (replacing it with itself is most of the work).
_SPACES = re.compile(r"[\t\r\f\v\u00a0\u200b][ \t\r\f\v\u00a0\u200b]*| [ \t\r\f\v\u00a0\u200b]+")

# Raw HTML is kept (UNSAFE, and no GFM tagfilter, which would turn <script> into text) because
# we only ever read text out of the result, never serve it.
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE
_CMARK_EXTENSIONS = ("table", "strikethrough", "autolink")


def _fence(match: re.Match) -> str:
    return f"\n```{match.group(1)}\n{match.group(2).strip(chr(10))}\n```\n"


def strip_templating(markdown: str) -> str:
    """Remove Hugo shortcodes, Liquid tags and ``:emoji:`` codes (paired shortcodes keep their text)."""
    text = _HUGO_HIGHLIGHT.sub(_fence, markdown)
    text = _LIQUID_HIGHLIGHT.sub(_fence, text)
    text = _LIQUID_COMMENT.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    text = _LIQUID.sub(" ", text)
    return _EMOJI.sub("", text)


def normalise(text: str) -> str:
    """``text`` with entities decoded and white space tidied: a run holding a line break becomes
    one line break, any other run one space; ends stripped."""
    text = html.unescape(text) if "&" in text else text
    text = _SPACES.sub(" ", text)
    # Every run of white space holding a line break becomes one line break; ends are stripped.
    return "\n".join(filter(None, [line.strip() for line in text.split("\n")]))


def _one_line(text: str) -> str:
    return normalise(text).replace("\n", " ")


@dataclass
class Cleaned:
    """A body as text: the prose, the code blocks, its first heading (for a missing title) and
    its headings with where each starts in ``text``."""

    text: str
    code: str
    heading: str
    headings: list[Heading] = field(default_factory=list)


def _too_nested(markup: str) -> bool:
    """True when the markup holds so many nestable blocks that parsing it as a tree would take
    minutes (the parser's time grows with the square of the depth)."""
    return sum(markup.count(tag) for tag in ("<blockquote", "<div", "<ul", "<ol", "<li",
                                              "<span", "<table")) > MAX_NESTABLE_TAGS


def html_to_text(markup: str) -> Cleaned:
    """Text of an HTML fragment: block elements become lines, ``<pre>`` goes to code."""
    if _too_nested(markup):  # blocks still end in a line break, inline tags just go
        return Cleaned(normalise(_ANY_TAG.sub("", _BLOCK_TAG.sub("\n", markup))), "", "")
    tree = LexborHTMLParser(f"<body>{markup}</body>")
    for node in tree.css(_NOISE_TAGS):
        node.decompose()
    headings = read_headings(tree, _one_line)
    first = tree.css_first("h1,h2,h3,h4,h5,h6")
    heading = _one_line(first.text(separator=" ")) if first else ""
    code_parts = []
    for node in tree.css("pre"):
        code_parts.append(node.text(separator=""))
        node.decompose()
    for node in tree.css(_BLOCK_TAGS):
        node.insert_after("\n")
    body = tree.body
    text = body.text(separator="") if body is not None else ""
    code = "\n".join(part.strip("\n") for part in code_parts)
    text = normalise(text)
    return Cleaned(text, code, heading, place(headings, text))


def markdown_to_text(markdown: str) -> Cleaned:
    """Text of a Markdown body with inline HTML, shortcodes and entities."""
    markup = markdown_to_html(strip_templating(markdown), _CMARK_OPTIONS, _CMARK_EXTENSIONS)
    return html_to_text(markup)


def inline_text(markdown: str) -> str:
    """One line of plain text from a short Markdown/HTML fragment (a comment)."""
    cleaned = markdown_to_text(markdown)
    return " ".join(filter(None, (cleaned.text, cleaned.code))).replace("\n", " ")
