#!/usr/bin/env python
"""manage.py of the conformance suite's Django project (the database is $CONFORMANCE_DB)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wproj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
