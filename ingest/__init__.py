"""Ingestion: files -> loaders -> chunks -> embeddings -> Chroma.

Heavy dependencies load lazily; see `ingest.pipeline` for the workflow. The composition
root (`advisor.composition.build_ingestor`) builds an `Ingestor` from settings.
"""
