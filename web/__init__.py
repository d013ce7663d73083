"""The web front: Flask app factory, search pages and the JSON API."""
