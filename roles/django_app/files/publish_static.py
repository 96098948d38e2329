"""Publish the static files of the kept releases into the one directory nginx serves.

    python3 publish_static.py SHARED_ROOT NEWEST_RELEASE_STATIC [OLDER_RELEASE_STATIC ...]

Every release collects its static files into its own directory (<release>/.static, with its own
manifest). nginx serves one directory, SHARED_ROOT, which must hold the files of every release
that may still render a page: the live one, the previous one (a rollback, and pages rendered
just before a switch) and older kept ones. Hashed names (ManifestStaticFilesStorage) make them
coexist; for a name two releases share, the newest release's file wins.

Files are hard links (no copy, no extra disk; a copy when SHARED_ROOT is on another file system), each put in place with an atomic rename, so a
request never sees a missing or half-written file. Files that no listed release holds any more
are removed afterwards (a pruned release's). Prints one line per file added, replaced or removed.
Installed and run as root by the django_aws.deploy.django_app role.
"""
import errno
import os
import shutil
import sys


def release_files(static_root):
    """{relative path: absolute path} of the regular files under a release's static root."""
    found = {}
    for dirpath, _dirs, files in os.walk(static_root):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found[os.path.relpath(path, static_root)] = path
    return found


def same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def link_into(shared_root, relative, source):
    """Hard-link `source` at SHARED_ROOT/relative unless it already is that file."""
    target = os.path.join(shared_root, relative)
    if same_file(source, target):
        return False
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.publishing")
    if os.path.lexists(temporary):
        os.unlink(temporary)
    try:
        os.link(source, temporary)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.copy2(source, temporary)  # SHARED_ROOT on another file system: a copy
    os.replace(temporary, target)
    return True


def collected_root(root):
    """The directory a release collected into: ROOT itself (<release>/.static), or, for a release
    collected before the role used .static, the <release>/static beside it; None if neither."""
    if os.path.isdir(root):
        return root
    legacy = os.path.join(os.path.dirname(root), "static")
    return legacy if os.path.basename(root) == ".static" and os.path.isfile(os.path.join(legacy, ".collected")) else None


def main(shared_root, release_roots):
    wanted = {}
    # Oldest first, so that the newest release's file is the one kept for a shared name.
    for root in reversed(release_roots):
        wanted.update(release_files(root))
    for relative in sorted(wanted):
        existed = os.path.lexists(os.path.join(shared_root, relative))
        if link_into(shared_root, relative, wanted[relative]):
            print(("replaced " if existed else "added ") + relative)
    for dirpath, _dirs, files in os.walk(shared_root, topdown=False):
        for name in files:
            relative = os.path.relpath(os.path.join(dirpath, name), shared_root)
            if relative not in wanted:
                os.unlink(os.path.join(dirpath, name))
                print("removed " + relative)
        if dirpath != shared_root and not os.listdir(dirpath):
            os.rmdir(dirpath)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: publish_static.py SHARED_ROOT NEWEST_RELEASE_STATIC [OLDER_RELEASE_STATIC ...]")
    main(sys.argv[1], [found for found in map(collected_root, sys.argv[2:]) if found])
