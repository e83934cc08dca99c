"""Benchmarks behind `cx-advisor bench`: each figure comes with a baseline measured in the
same run (raw sentence-transformers encoding, raw Chroma queries, raw llama-cpp-python
generation, a bare Python start), so ratios hold across machines."""
