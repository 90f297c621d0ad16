"""Rasa's Redis lock store, with every change to a conversation's lock made in one transaction.

Rasa's lock store gives each message of a conversation a ticket and lets a worker handle the
message only when its ticket is being served, so that a conversation's turns never overlap.
Rasa Open Source's `RedisLockStore` reads the lock, changes it and writes it back as separate
commands: two workers taking messages of one conversation at the same moment can both read the
lock before either writes it, both get the same ticket and handle the conversation at once. Each
then writes the whole conversation back, and one turn is lost (tests/stack: four messages at once
on two workers lost a turn in some runs; RasaHQ/rasa#9213. Rasa Pro has a concurrent lock store,
Rasa Open Source 3.6 has not).

Here each change (a new ticket, a finished one, expired ones removed) is one Redis transaction on
the lock's key (WATCH, then MULTI/EXEC, done again if another worker changed the lock meanwhile).
The lock's key also expires once no ticket in it could still be valid, so a worker that stopped
mid-turn leaves no conversation id behind. Everything else is Rasa's.

    lock_store:
      type: shared_state.lock_store.RedisLockStore
      url: <redis host>   port, db, username, password, key_prefix, use_ssl, ... as Rasa's "redis"
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, Text, Tuple

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A ticket lives LOCK_LIFETIME seconds (Rasa's TICKET_LOCK_LIFETIME, default 60) and every change
# renews the key, so a lock untouched for twice that holds no valid ticket.
LOCK_KEY_EXPIRY_SECONDS = int(2 * LOCK_LIFETIME)


class RedisLockStore(RasaRedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: Text,
                change: Callable[[Optional[TicketLock]], Tuple[Any, Optional[TicketLock]]]) -> Any:
        """Read the lock, change it (`change` returns a result and the lock to keep, or None to
        delete it) and write it back, all or nothing; done again if another worker got between."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    result, lock = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps(), ex=LOCK_KEY_EXPIRY_SECONDS)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def new_ticket(lock: Optional[TicketLock]) -> Tuple[int, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._change(conversation_id, new_ticket)
        except Exception as error:   # as Rasa's: the message is refused rather than handled unlocked
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def without_expired(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, without_expired)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """This ticket is done: remove it, and the lock when nobody else is waiting."""
        def finished(lock: Optional[TicketLock]) -> Tuple[None, Optional[TicketLock]]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return None, lock if lock and lock.is_someone_waiting() else None

        self._change(conversation_id, finished)

    def save_lock(self, lock: TicketLock) -> None:
        self.red.set(self.key_prefix + lock.conversation_id, lock.dumps(), ex=LOCK_KEY_EXPIRY_SECONDS)
