# django_aws.deploy — developer commands. Run as root on Debian (see README).
SHELL := /bin/bash
TOP := $(CURDIR)
export CONTAINERS_CONF := $(TOP)/containers.conf
export PATH := $(TOP)/.venv/bin:$(PATH)
export ANSIBLE_CONFIG := $(TOP)/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH := $(TOP)/.collections
export ANSIBLE_FORCE_COLOR := false
export PY_COLORS := 0
export NO_COLOR := 1

# Which molecule scenarios `make test` runs (all by default): make test SCENARIOS="supervisor"
SCENARIOS ?=


.PHONY: bootstrap test lint sanity pytest badinput galaxy e2e molecule demo demo-destroy bench build clean help

help:
	@echo "make demo       the rehearsal: site.yml on emulated AWS with containers, then proof it serves"
	@echo "make demo-destroy  tear the rehearsal down (stack, containers, network, emulator state)"
	@echo "make test       lint, sanity, pytest, badinput, galaxy, e2e and every molecule scenario"
	@echo "make bench      deploy and serving benchmarks (bench/RESULTS.md)"
	@echo "make bootstrap  install OS packages, .venv and the test host image (cached)"
	@echo "make lint|sanity|pytest|badinput|galaxy|e2e|molecule  one stage of make test"
	@echo "make test SCENARIOS=\"supervisor aws\"  only these molecule scenarios (reported as a subset)"

bootstrap:
	@scripts/bootstrap.sh

test: bootstrap
	@scripts/test.sh lint sanity pytest badinput galaxy e2e molecule

lint sanity pytest badinput galaxy e2e molecule: bootstrap
	@scripts/test.sh $@

demo: bootstrap
	@scripts/demo.sh up

demo-destroy:
	@scripts/demo.sh down

# Deploy and serving benchmarks on a rehearsal stack of their own (writes bench/RESULTS.md).
bench: bootstrap
	@bench/run

build:
	@mkdir -p dist && ansible-galaxy collection build --force --output-path dist .

clean:
	rm -rf build dist tests/output .pytest_cache
