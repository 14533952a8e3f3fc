"""The node's protocol for machines: write API, OpenAPI, LDES feed, DCAT catalogue, case RDF, context."""
