"""The web front: Flask app, JSON API and the blogsearch command."""
