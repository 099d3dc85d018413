"""Funded batches (APBD / CSR): members, budget, renewal."""
