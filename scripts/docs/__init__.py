"""Generated documentation: the connector reference page and the certification readme.

Both are rendered with Jinja2 from the rendered definition (so they describe exactly what is
imported) by the one render function, and checked fresh by ``build --check`` like the JSON files.
"""
