#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from yimen.env import private_files

    private_files()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yimen.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
