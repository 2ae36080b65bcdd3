#!/usr/bin/env python
import os
import sys

# Commands that build the release from the code alone: they sign nothing and serve
# nothing, so they run where the production secrets are not (a build, a quick check).
BUILD_COMMANDS = {"makemigrations", "collectstatic", "compilemessages", "makemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    if sys.argv[1:2] and sys.argv[1] in BUILD_COMMANDS:
        os.environ["ALLIANSSI_BUILD_STEP"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
