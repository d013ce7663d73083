"""The blogsearch engine: Spanish analysis, the index, queries, ranking and snippets.

The only package that imports whoosh. Everything it returns is plain Python data.
"""
