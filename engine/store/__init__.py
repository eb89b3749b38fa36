"""The decision store: the hash-chained log, its indexes and the rules archive."""

from .sqlite import GENESIS, Award, Record, Store, chain_hash, now, record_json

__all__ = ["GENESIS", "Award", "Record", "Store", "chain_hash", "now", "record_json"]
