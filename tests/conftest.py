"""Make the checkout importable as ansible_collections.django_aws.deploy for unit tests, and
tests/lib (playreport: reading ansible-playbook's output) for every test."""

import sys
from pathlib import Path

COLLECTIONS = Path(__file__).resolve().parent.parent / ".collections"
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))

LIB = Path(__file__).resolve().parent / "lib"
if str(LIB) not in sys.path:
    sys.path.insert(0, str(LIB))
