"""Conversations kept in Redis and shared by several Rasa workers (`make run WORKERS=2`,
endpoints-redis.yml): Rasa's Redis tracker store read and written whole (tracker_store.py).
The SQLite default does not use it."""
