"""W3C Data Integrity proofs over RDF graphs: eddsa-rdfc-2022 (RDFC-1.0 + Ed25519), shared by node,
harvester and `stafett verify`.

- `multikey.py`: Ed25519 keys as Multikey (multibase z-base58btc over a multicodec prefix).
- `canon.py`: RDFC-1.0 canonical N-Quads with bounds (blank-node cap, time budget in a worker).
- `proofs.py`: create and verify a DataIntegrityProof (W3C vc-di-eddsa, eddsa-rdfc-2022).
"""
