import os

from django.core.wsgi import get_wsgi_application

from yimen.env import private_files

private_files()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yimen.settings")
application = get_wsgi_application()
