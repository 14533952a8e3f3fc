"""Stafett: a federated linked-data registry of Nordic innovation-procurement cases.

Packages follow the data's path: `vocabulary` (what things mean) -> `shapes` (what is allowed)
-> `node` (one publisher) -> `harvester` (aggregators and the registry's SPARQL endpoint).
"""

__version__ = "0.1.0"
