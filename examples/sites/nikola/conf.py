# -*- coding: utf-8 -*-
# Configuración de Nikola para «Cuaderno montevideano».
import time

BLOG_AUTHOR = "Valentina Sosa"
BLOG_TITLE = "Cuaderno montevideano"
SITE_URL = "https://nikola.ejemplo.es/"
BLOG_EMAIL = "valentina@ejemplo.es"
BLOG_DESCRIPTION = "Música, ferias y lluvia en Montevideo."

DEFAULT_LANG = "es"
TRANSLATIONS = {
    "es": "",
    "en": "./en",
}
TRANSLATIONS_PATTERN = "{path}.{lang}.{ext}"

NAVIGATION_LINKS = {
    "es": (
        ("/archive.html", "Archivo"),
        ("/categories/", "Etiquetas"),
        ("/rss.xml", "RSS"),
    ),
    "en": (
        ("/en/archive.html", "Archive"),
        ("/en/categories/", "Tags"),
        ("/en/rss.xml", "RSS"),
    ),
}

THEME = "bootblog4"
TIMEZONE = "America/Montevideo"
DATE_FORMAT = "yyyy-MM-dd HH:mm"

POSTS = (
    ("posts/*.rst", "blog", "post.tmpl"),
    ("posts/*.md", "blog", "post.tmpl"),
    ("posts/*.ipynb", "blog", "post.tmpl"),
)
PAGES = (
    ("pages/*.rst", "", "page.tmpl"),
)

COMPILERS = {
    "rest": [".rst", ".txt"],
    "markdown": [".md", ".mdown", ".markdown"],
    "ipynb": [".ipynb"],
    "html": [".html", ".htm"],
}

PRETTY_URLS = True
INDEX_PATH = "blog"
OUTPUT_FOLDER = "output"
COMMENT_SYSTEM = ""
COMMENT_SYSTEM_ID = ""

LICENSE = ""
CONTENT_FOOTER = "Contenidos &copy; {date} <a href=\"mailto:{email}\">{author}</a>"
CONTENT_FOOTER_FORMATS = {
    DEFAULT_LANG: (
        (),
        {
            "email": BLOG_EMAIL,
            "author": BLOG_AUTHOR,
            "date": time.gmtime().tm_year,
        },
    )
}
GLOBAL_CONTEXT = {}
