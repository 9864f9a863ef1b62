"""Corpus: documents → citable provisions (条/款/项), penalty records and case records."""
