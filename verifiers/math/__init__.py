"""Math verifier: final-answer extraction and equivalence with a reference answer."""
