"""Money and the numbers built from a case: amounts, offer ladders and plans, eligibility, bill checks.

``amounts`` (Decimal parsing and showing), ``negotiate`` (offer ladders, payment plans),
``eligibility`` (income against the poverty guideline), ``billcheck`` (errors in an itemized bill),
``derive`` (values computed from facts for phrases and conditions). Imports neither the session,
the calls nor the case file.
"""
