#!/bin/sh
# Entrypoint of the Urban Therapy image (docker/Dockerfile, target `app`):
# the roles web (default), worker, cron, migrate, console, backup and
# restore live in urbantherapy/prod/entrypoint.py, which `make prod-local`
# runs too, so that the image and the local topology cannot drift.
set -eu
exec python -m urbantherapy.prod "$@"
