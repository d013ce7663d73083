"""Screenshots of the results page for the README: desktop and a 360 px phone.

    python docs/screenshots.py            # writes docs/screenshot-desktop.png, -mobile.png

Indexes examples/blog into a temporary folder, serves it on a free local port (werkzeug)
and photographs it with Debian's Chromium (``bash .ci/install-browser.sh``) via Playwright.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from blogsearch.indexer.run import index_folder
from blogsearch.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
QUERY = "/buscar?q=casa"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SHOTS = [  # (file, viewport width, height, full page)
    ("screenshot-desktop.png", 1280, 900, False),
    ("screenshot-mobile.png", 360, 780, False),
]


def main(out_dir: Path = ROOT / "docs") -> None:
    """Take the screenshots into ``out_dir``."""
    with tempfile.TemporaryDirectory() as tmp:
        index_folder(ROOT / "examples" / "blog", Path(tmp) / "index")
        app = create_app({"INDEX_DIR": str(Path(tmp) / "index"), "SEARCH_LOG": False,
                          "SITE_NAME": "Cuaderno de Lucía"})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=CHROMIUM_ARGS)
                for name, width, height, full in SHOTS:
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  locale="es-ES", color_scheme="light")
                    page = context.new_page()
                    page.goto(base + QUERY)
                    page.screenshot(path=str(out_dir / name), full_page=full)
                    context.close()
                    print(f"wrote {out_dir / name}")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
