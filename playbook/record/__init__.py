"""The incident record: an append-only log of events per incident (`model`), kept in SQLite or
PostgreSQL (`store`, `backends`), written by the team's actions (`service`), compared across
decisions (`changes`) and read back as documents (`review`).
"""
