"""Languages: Spanish by default, English on request; dates and numbers through Babel."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale, dates
from flask import Flask, current_app, g, request, url_for
from flask_babel import (
    Babel,
    LazyString,
    format_decimal,
    get_locale,
    get_translations,
    gettext,
    ngettext,
)

from .params import arg


def select_locale() -> Locale:
    """``?lang=`` when it names an offered language, else the site's ``UI_LANGUAGE`` (or, when
    ``UI_LANGUAGE_FROM_BROWSER`` is on, the best Accept-Language match)."""
    config = current_app.config
    languages: list[str] = config["LANGUAGES"]
    asked = arg(request.args, "lang")
    if asked not in languages:
        asked = config["UI_LANGUAGE"]
        if config["UI_LANGUAGE_FROM_BROWSER"] and "Accept-Language" in request.headers:
            asked = request.accept_languages.best_match(languages, default=asked)
    return _locale(asked)


def check_languages(config: dict) -> None:
    """ValueError naming the setting when ``LANGUAGES`` is not a list of codes or
    ``UI_LANGUAGE`` is not one of them."""
    languages = config["LANGUAGES"]
    if isinstance(languages, str) or not languages:
        raise ValueError(f"LANGUAGES: must be a list of language codes, not {languages!r}")
    ui = config["UI_LANGUAGE"]
    if ui not in languages:
        raise ValueError(f"UI_LANGUAGE: {ui!r} is not one of LANGUAGES ({', '.join(languages)})")


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    """Babel's Locale for ``code``, parsed once (parsing costs more than the rest of a request's
    language work)."""
    return Locale.parse(code)


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel with our locale selector and the template helpers."""
    check_languages(app.config)
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["UI_LANGUAGE"]
    Babel(app, locale_selector=select_locale)
    # Flask-Babel's template callables look the request's translations up on every call
    # (about 26 a page); these look them up once per request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # ``_`` is Jinja's alias that looks ``gettext`` up and calls it on every use (about 26 a
    # page): bind it to that callable directly.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]
    app.jinja_env.globals.update(current_locale=lambda: str(get_locale()), quoted=quoted,
                                 language_switch=language_switch)
    app.jinja_env.filters.update(post_date=post_date, number=number)

    from_browser = app.config["UI_LANGUAGE_FROM_BROWSER"]

    @app.after_request
    def _language_headers(response):
        headers = response.headers
        headers["Content-Language"] = str(get_locale())
        if from_browser:
            vary = headers.get("Vary")
            headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        return response


def _translations():
    """This request's translations (Flask-Babel's, looked up once per request)."""
    found = g.get("translations")
    if found is None:
        found = g.translations = get_translations()
    return found


def lazy_gettext(message: str) -> LazyString:
    """Flask-Babel's ``lazy_gettext`` (same keyword for ``pybabel extract``), translated through
    this request's translations, looked up once per request (the page shows about 15)."""
    return LazyString(_gettext, message)


def _gettext(message: str) -> str:
    return _translations().ugettext(message)


def language_switch() -> dict[str, str]:
    """The link to this page in the next offered language, and the home link in this one.

    ``param`` is the ``lang`` the reader chose explicitly ("" when it came from the browser),
    which forms and links carry on.
    """
    languages: list[str] = current_app.config["LANGUAGES"]
    current = str(get_locale())
    code = languages[(languages.index(current) + 1) % len(languages)] \
        if current in languages else languages[0]
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    chosen = arg(request.args, "lang")
    chosen = chosen if chosen in languages else ""
    return {
        "code": code,
        "name": _locale(code).get_display_name(code).capitalize(),
        "link": request.path + "?" + urlencode([*args, ("lang", code)]),
        "home": url_for("pages.search_page", lang=chosen or None),
        "param": chosen,
    }


def post_date(value: str | None) -> str:
    """An ISO date as readers write it: "20 de abril de 2011" / "April 20, 2011".

    The post's own calendar day is kept (no time-zone shift); unreadable values give "".
    """
    if not value:
        return ""
    return _long_date(value, str(get_locale()))


@lru_cache(maxsize=4096)
def _long_date(value: str, locale: str) -> str:
    """``post_date`` of one ISO date in one locale (Babel takes longer than a snippet)."""
    try:
        day: date = datetime.fromisoformat(value).date()
    except ValueError:
        return ""
    return dates.format_date(day, format="long", locale=locale)


def number(value: float, decimals: int = 0) -> str:
    """A number in the reader's locale ("1.234", "12,5")."""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)  # the same in every locale, and Babel is slow for facet counts
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def message_text(code: str, params: dict) -> str:
    """The reader's-language text of one engine message (see ``Engine.search``)."""
    if code == "truncated":
        return gettext(
            "Your search was too long; only its first %(limit)s characters were used.",
            limit=params.get("limit", "?"),
        )
    if code == "too_many_terms":
        return gettext(
            "Your search had too many words; only the first %(limit)s were used.",
            limit=params.get("limit", "?"),
        )
    if code == "syntax":
        return gettext("Part of your search could not be understood; it was searched as text.")
    if code == "fuzzy":
        if params.get("showing"):
            return gettext("Showing results for %(showing)s. Search instead for “%(typed)s”.",
                           showing=params["showing"], typed=params.get("typed", ""))
        terms = ", ".join(str(term) for term in params.get("terms", []))
        return gettext("No post has %(terms)s; showing results for similar words.", terms=terms)
    if code == "prefixes":
        return gettext("Your search had many words ending in *; each stands for its %(limit)s "
                       "most frequent words.", limit=params.get("limit", "?"))
    if code == "budget":
        return gettext("Your search was too costly to finish; the results leave out some of "
                       "its words' other forms.")
    if code == "unknown":
        words = params.get("words", [])
        if params.get("results"):
            return ngettext("No post contains %(words)s, nor a similar word: showing results "
                            "without it.",
                            "No post contains %(words)s, nor similar words: showing results "
                            "without them.", len(words), words=quoted(words))
        return ngettext("No post contains %(words)s, nor a similar word.",
                        "No post contains %(words)s, nor similar words.", len(words),
                        words=quoted(words))
    if code == "left_out":
        return gettext("No post contains every word of your search: showing those with "
                       "%(held)s of %(count)s, each marked with the ones it lacks.",
                       held=params.get("held", "?"), count=params.get("count", "?"))
    return gettext("Note: %(code)s", code=code)


def quoted(words: list[str]) -> str:
    """Words of the reader's search as the page quotes them: «uno», «dos»."""
    return ", ".join(f"«{word}»" for word in words)


def count_text(total: int) -> str:
    """"1 result" / "1.234 results" in the reader's language."""
    return ngettext("%(count)s result", "%(count)s results", total, count=number(total))
