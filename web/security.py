"""Security headers on every response, and CORS for the JSON API."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, request

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    # Thumbnails come from the blog (or wherever its posts keep their images).
    "img-src 'self' data: https: http:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Server": "blogsearch",
}

CORS_METHODS = "GET, OPTIONS"
CORS_MAX_AGE = "86400"


def cors_origins(setting: str | Iterable[str] | None) -> frozenset[str]:
    """The CORS_ORIGINS setting as a set: a list, a comma-separated string, or "*"."""
    if not setting:
        return frozenset()
    items = setting.split(",") if isinstance(setting, str) else setting
    return frozenset(item.strip().rstrip("/") for item in items if item.strip())


def init_security(app: Flask) -> None:
    """Add the security headers everywhere and CORS headers on /api/* for allowed origins."""
    allowed = cors_origins(app.config["CORS_ORIGINS"])

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/") and allowed:
            _add_cors(response, allowed)
        return response


def _add_cors(response: Response, allowed: frozenset[str]) -> None:
    origin = request.headers.get("Origin", "")
    response.vary.add("Origin")
    if "*" in allowed:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
    else:
        return
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, X-Blogsearch-Live"
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
