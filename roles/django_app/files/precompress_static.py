"""Write NAME.gz beside every compressible static file that lacks one with the same content.

nginx's gzip_static then sends the precompressed file instead of compressing on every
request. Prints each file it writes (nothing when all are current). Installed and run by
the django_aws.deploy.django_app role: python3 precompress_static.py STATIC_ROOT
"""
import gzip
import os
import shutil
import sys

COMPRESSIBLE = {".css", ".js", ".mjs", ".svg", ".txt", ".json", ".map", ".xml", ".html"}
MIN_SIZE = 256


def stale(path, gz_path):
    """By content, not mtime: collectstatic rewrites some files (the manifest) every run."""
    if not os.path.exists(gz_path):
        return True
    try:
        with gzip.open(gz_path, "rb") as packed, open(path, "rb") as plain:
            return packed.read() != plain.read()
    except (OSError, EOFError):
        return True


def main(root):
    for dirpath, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if os.path.splitext(name)[1] not in COMPRESSIBLE or os.path.getsize(path) < MIN_SIZE:
                continue
            gz_path = path + ".gz"
            if not stale(path, gz_path):
                continue
            with open(path, "rb") as src, gzip.GzipFile(gz_path + ".tmp", "wb", 9, mtime=0) as dst:
                shutil.copyfileobj(src, dst)
            os.replace(gz_path + ".tmp", gz_path)
            print(gz_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
