"""Use cases: one function per thing a person does. Owns transactions and access."""
