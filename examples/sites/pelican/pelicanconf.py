AUTHOR = 'Lucía Ferrer'
SITENAME = 'Bitácora de Lucía'
SITEURL = 'http://localhost:8000'

PATH = 'content'
ARTICLE_PATHS = ['articulos']
PAGE_PATHS = ['paginas']
STATIC_PATHS = ['extra']
EXTRA_PATH_METADATA = {
    'extra/robots.txt': {'path': 'robots.txt'},
    'extra/CNAME': {'path': 'CNAME'},
}

TIMEZONE = 'America/Mexico_City'
DEFAULT_LANG = 'es'
DEFAULT_DATE_FORMAT = '%d/%m/%Y'

ARTICLE_URL = '{date:%Y}/{date:%m}/{slug}/'
ARTICLE_SAVE_AS = '{date:%Y}/{date:%m}/{slug}/index.html'

FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = 10
RELATIVE_URLS = True
