"""What a case is allowed to be: the SHACL shapes, the JSON Schema and the one validator.

The node's write API, `stafett validate` and the harvester's admission step all call
`validate_quads` / `validate_document`, so a publisher and an aggregator get identical reasons.
"""

from stafett.shapes.validate import Report, validate_document, validate_quads

__all__ = ["Report", "validate_document", "validate_quads"]
