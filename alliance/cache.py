"""The shared cache: Django's own RedisCache, cleared by its key prefix only.

Django's `RedisCache.clear()` empties the whole Redis database (FLUSHDB). The Redis
that holds the cache may also hold Celery's queues and other sites' caches, so here
`clear()` deletes only the keys this cache made, those under its `KEY_PREFIX`.
"""

import re

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

# Redis's glob pattern treats these as wildcards; a prefix must match them literally.
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
_DELETE_BATCH = 500


class RedisCache(DjangoRedisCache):
    def clear(self) -> bool:
        """Delete every key of this cache's prefix, and nothing else."""
        client = self._cache.get_client(write=True)
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=_DELETE_BATCH):
            batch.append(key)
            if len(batch) == _DELETE_BATCH:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
