"""Check a supervisor program file with supervisor's own parser (used as `validate:`).

Exit 0 when every section is a valid [program:x]; otherwise print why and exit 1.
Installed by the django_aws.deploy.supervisor role.
"""
import sys

from supervisor.options import ServerOptions, UnhosedConfigParser


def main(path):
    parser = UnhosedConfigParser()
    try:
        parser.read(path)
    except Exception as exc:  # configparser raises several error types
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    sections = parser.sections()
    if not sections:
        print(f"{path}: no [program:x] section", file=sys.stderr)
        return 1
    options = ServerOptions()
    for section in sections:
        if not section.startswith("program:"):
            print(f"{path}: unexpected section [{section}]", file=sys.stderr)
            return 1
        try:
            options.processes_from_section(parser, section, section.split(":", 1)[1])
        except ValueError as exc:
            print(f"{path}: [{section}] {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
