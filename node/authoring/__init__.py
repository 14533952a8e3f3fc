"""Writing cases from the browser, without HTML: the form's fields from the shapes, drafts,
publishing through node/publish.py, review and the audit trail (the pages are in node/web)."""
