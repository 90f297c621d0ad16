"""Conversations kept in Redis and shared by several Rasa workers (`make run WORKERS=2`,
endpoints-redis.yml): Rasa's Redis tracker store read and written whole (tracker_store.py), the
event broker that makes the anonymous counts as conversations happen (insight_broker.py, in
Rasa) and their collection into the review database by the web app's purge (insight.py).
The SQLite default uses none of them."""
