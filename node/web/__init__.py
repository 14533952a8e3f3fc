"""The node's pages for people: HTML rendering, its templates, and the routes only people use."""
