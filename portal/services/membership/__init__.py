"""BPJS memberships: KPJ, dues, arrears, payments, cards."""
