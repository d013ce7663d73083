"""Content folder → post records → the search index."""
