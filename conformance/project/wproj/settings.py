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
]
MIDDLEWARE = ["waffle.middleware.WaffleMiddleware"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["CONFORMANCE_DB"],
    }
}
# No cache between wafflectl's writes and Django's reads (spec django-waffle §2.5).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
# Fast password hashing for the users the suite creates.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
