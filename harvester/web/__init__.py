"""The registry's pages for people: the query page (`/query`, its script `/query.js`) and the API
page (`/api`, the OpenAPI description as a table), in the seven Stafett languages. Templates and
the script ship in `templates/` and `static/`; the strings are `text.py`'s.
"""
