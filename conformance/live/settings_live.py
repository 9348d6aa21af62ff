"""Settings of the live suite: the conformance project (wproj.settings) plus Django admin (for
django_admin_log) and the site cache the live suite names in $LIVE_CACHE:
  redis://HOST:PORT/N     django.core.cache.backends.redis.RedisCache (pip redis)
  memcached://HOST:PORT   django.core.cache.backends.memcached.PyMemcacheCache (pip pymemcache)
with KEY_PREFIX $LIVE_KEY_PREFIX and VERSION $LIVE_VERSION, so the suite can check that
wafflectl's --cache-key-prefix/--cache-version reach the same keys."""
import os

from wproj.settings import *  # noqa: F401,F403
from wproj.settings import INSTALLED_APPS

INSTALLED_APPS = INSTALLED_APPS + ["django.contrib.admin", "django.contrib.messages"]
# The suite never serves admin pages: the checks about templates and middleware do not apply.
SILENCED_SYSTEM_CHECKS = ["admin.E403", "admin.E408", "admin.E409", "admin.E410"]

_url = os.environ.get("LIVE_CACHE", "")
if _url.startswith("redis://"):
    _backend, _location = "django.core.cache.backends.redis.RedisCache", _url
elif _url.startswith("memcached://"):
    _backend = "django.core.cache.backends.memcached.PyMemcacheCache"
    _location = _url[len("memcached://"):]
else:
    _backend, _location = "django.core.cache.backends.dummy.DummyCache", ""
CACHES = {
    "default": {
        "BACKEND": _backend,
        "LOCATION": _location,
        "KEY_PREFIX": os.environ.get("LIVE_KEY_PREFIX", ""),
        "VERSION": int(os.environ.get("LIVE_VERSION", "1")),
        # Long enough that only an invalidation, never expiry, makes a change visible.
        "TIMEOUT": 3600,
    }
}
