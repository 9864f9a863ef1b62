"""Index: provisions → hits (jieba BM25 + Chroma dense + direct lookup, fused)."""
