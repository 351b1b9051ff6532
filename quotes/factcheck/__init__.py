"""Fact-checking against the store: verify a claimed quote, trace it, check stored spans, explain an attribution."""
