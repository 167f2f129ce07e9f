"""Patient-intake screening for acupuncture practices: contract, rules, store and Lambda handlers."""
