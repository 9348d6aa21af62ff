"""Settings of the conformance suite's Django project: django-waffle as `startproject` + the
reference setup configure it (spec django-waffle §0), plus two tiny apps whose models mirror
Open edX's `waffle_utils` override models and `experiments` models (spec edx §3.1, §4.1)."""
import os

SECRET_KEY = "conformance-suite-only"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "waffle",
    "waffle_utils",
    "experiments",
    "student",
]
MIDDLEWARE = ["waffle.middleware.WaffleMiddleware"]


def database(db):
    """Django's DATABASES entry for $CONFORMANCE_DB: a SQLite file's path, or the URL of a MariaDB
    (mysql://USER:PASSWORD@HOST:PORT/NAME, driver mysqlclient) or PostgreSQL server
    (postgres://..., driver psycopg), as wafflectl's --db takes them."""
    from urllib.parse import unquote, urlsplit

    url = urlsplit(db)
    engines = {"mysql": "mysql", "postgres": "postgresql", "postgresql": "postgresql"}
    if url.scheme not in engines:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": db}
    entry = {
        "ENGINE": "django.db.backends." + engines[url.scheme],
        "NAME": unquote(url.path.lstrip("/")),
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(url.port or ""),
    }
    if url.scheme == "mysql":
        # utf8mb4 as Open edX uses, and the strict mode Django asks for (check mysql.W002).
        entry["OPTIONS"] = {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}
    return entry


DATABASES = {"default": database(os.environ["CONFORMANCE_DB"])}
# No cache between wafflectl's writes and Django's reads (spec django-waffle §2.5).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
# Fast password hashing for the users the suite creates.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
