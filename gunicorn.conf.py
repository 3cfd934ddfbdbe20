"""Gunicorn settings for `make demo` and production (override with GUNICORN_CMD_ARGS)."""

import os

import gunicorn

from yimen.env import private_files

private_files()

# No server name or version in responses.
gunicorn.SERVER = "yimen"

bind = os.environ.get("YIMEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("YIMEN_WORKERS", "3"))
threads = int(os.environ.get("YIMEN_THREADS", "4"))
wsgi_app = "yimen.wsgi:application"
accesslog = "-"
# The path without its query string: a search by ID number or phone must not land in the log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
timeout = 60
# Gunicorn's own files (a unix socket, worker heartbeats) follow the same rule as the app's.
umask = 0o077
