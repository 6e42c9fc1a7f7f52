#!/bin/sh
# Entrypoint of the Urban Therapy image (docker/Dockerfile, target `app`).
#
#   web       gunicorn serving trytond.application:app on :8000 (default CMD)
#   worker    trytond-worker: runs queued tasks ([queue] worker = True)
#   cron      trytond-cron: scheduled actions; run exactly one
#   migrate   wait for PostgreSQL, create the database if missing, then
#             initialise it or update every module, and load fr + nl
#   console   trytond-console on the database
#   backup    pg_dump (custom format) of the database to stdout
#   other     executed as is: exec "$@"
#
# Arguments after a subcommand go to the program: `worker --name pos`,
# `cron --once`, `web --log-level debug`, `migrate --indexes`.
# Configuration comes from the environment only (docker/README.md): the
# config file holds no URI and no secret, since its values win over the
# environment.
set -eu

: "${TRYTOND_CONFIG:=/srv/urban/config/production.conf}"
: "${URBAN_DATABASE:=urban}"
export TRYTOND_CONFIG URBAN_DATABASE
# trytond.application loads the pool of these databases before serving.
export TRYTOND_DATABASE_NAMES="${TRYTOND_DATABASE_NAMES:-$URBAN_DATABASE}"
# [urban] database (routes, /health); effective only if the file leaves it out.
export TRYTOND_URBAN__DATABASE="${TRYTOND_URBAN__DATABASE:-$URBAN_DATABASE}"

DEFAULT_MODULES="urban_catalog urban_stock urban_b2b urban_loyalty urban_pos_bridge urban_mobile_api urban_website urban_shipping account_be"

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

case $URBAN_DATABASE in
    '' | *[!A-Za-z0-9_]*)
        die "URBAN_DATABASE must match [A-Za-z0-9_]+ (got '$URBAN_DATABASE')" ;;
esac

# The configured trytond URI (TRYTOND_DATABASE__URI wins, like in trytond).
db_uri() { printf '%s' "${TRYTOND_DATABASE__URI:-${TRYTOND_DATABASE_URI:-}}"; }

# libpq URI of database $1, from postgresql://user:pw@host:port/[?params]
pg_uri() {
    _uri=$(db_uri)
    _query=
    case $_uri in *\?*) _query="?${_uri#*\?}"; _uri=${_uri%%\?*} ;; esac
    _netloc=${_uri#*://}
    _netloc=${_netloc%%/*}
    printf 'postgresql://%s/%s%s' "$_netloc" "$1" "$_query"
}

# Fail fast on the precedence trap: values in the config file win over the
# environment, so check what trytond will really use.
check_config() {
    [ -r "$TRYTOND_CONFIG" ] || die "TRYTOND_CONFIG=$TRYTOND_CONFIG is not readable"
    _effective=$(python -c '
from urllib.parse import urlparse
from trytond import config
print(urlparse(config.get("database", "uri") or "").scheme,
    config.get("urban", "database", default=""))
') || die "cannot read the trytond configuration"
    _scheme=${_effective%% *}
    _urban=${_effective#* }
    [ "$_scheme" = postgresql ] || die "the database URI is '$_scheme://...'," \
        "set TRYTOND_DATABASE__URI=postgresql://user:password@host:5432/" \
        "(trytond-worker and cross-process cache invalidation need PostgreSQL)"
    [ "$_urban" = "$URBAN_DATABASE" ] || die "[urban] database is '$_urban'" \
        "in $TRYTOND_CONFIG but URBAN_DATABASE is '$URBAN_DATABASE': the file" \
        "wins over the environment, make them equal"
}

wait_for_db() {
    _timeout=${URBAN_DB_WAIT_TIMEOUT:-60}
    _start=$(date +%s)
    until pg_isready -q -t 3 -d "$(pg_uri postgres)"; do
        [ $(($(date +%s) - _start)) -lt "$_timeout" ] \
            || die "PostgreSQL not ready after ${_timeout}s"
        log "waiting for PostgreSQL..."
        sleep 2
    done
}

# psql_q DB SQL: one value, unaligned, no header, no NOTICE
psql_q() {
    PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" \
        psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$(pg_uri "$1")" -c "$2"
}

# True when table $1 exists and has no row.
table_empty() {
    [ "$(psql_q "$URBAN_DATABASE" "SELECT to_regclass('$1') IS NOT NULL")" = t ] \
        && [ "$(psql_q "$URBAN_DATABASE" "SELECT count(*) FROM $1")" = 0 ]
}

migrate() {
    wait_for_db
    if [ "$(psql_q postgres "SELECT 1 FROM pg_database WHERE datname = '$URBAN_DATABASE'")" != 1 ]; then
        log "creating database $URBAN_DATABASE"
        createdb --maintenance-db="$(pg_uri postgres)" \
            --encoding=UTF8 --template=template0 "$URBAN_DATABASE"
    fi
    # Accent-insensitive and similarity search (fr/nl names): trusted
    # extensions, the database owner may create them. Empty list: skip.
    for _ext in ${URBAN_PG_EXTENSIONS-unaccent pg_trgm}; do
        psql_q "$URBAN_DATABASE" "CREATE EXTENSION IF NOT EXISTS $_ext" >/dev/null \
            || log "warning: could not create extension $_ext"
    done

    # Word splitting of the module and language lists is intended.
    # shellcheck disable=SC2086
    set -- -c "$TRYTOND_CONFIG" -d "$URBAN_DATABASE" -vv \
        --all --activate-dependencies \
        -u ${URBAN_MODULES:-$DEFAULT_MODULES} \
        -l ${URBAN_LANGUAGES:-fr nl} \
        "$@"
    if [ "$(psql_q "$URBAN_DATABASE" "SELECT to_regclass('ir_module') IS NOT NULL")" = t ]; then
        log "updating database $URBAN_DATABASE"
    else
        [ -n "${URBAN_ADMIN_EMAIL:-}" ] \
            || die "URBAN_ADMIN_EMAIL is required to initialise the database"
        if [ -z "${TRYTONPASSFILE:-}" ] || [ ! -r "$TRYTONPASSFILE" ] \
                || [ ! -s "$TRYTONPASSFILE" ]; then
            die "TRYTONPASSFILE must name a readable, non-empty file" \
                "holding the admin password (docker secret admin_password)"
        fi
        log "initialising database $URBAN_DATABASE"
        set -- "$@" --email "$URBAN_ADMIN_EMAIL"
    fi
    trytond-admin "$@"

    # Currencies and countries ship empty; import them once (idempotent).
    if [ "${URBAN_IMPORT_REFERENCE_DATA:-1}" = 1 ]; then
        if table_empty currency_currency; then
            log "importing currencies"
            trytond_import_currencies -c "$TRYTOND_CONFIG" -d "$URBAN_DATABASE"
        fi
        if table_empty country_country; then
            log "importing countries and subdivisions (about a minute)"
            trytond_import_countries -c "$TRYTOND_CONFIG" -d "$URBAN_DATABASE"
        fi
    fi
    log "database $URBAN_DATABASE is up to date"
}

case ${1:-web} in
    web)
        [ $# -gt 0 ] && shift
        check_config
        wait_for_db
        exec gunicorn --bind 0.0.0.0:8000 \
            --workers "${WEB_CONCURRENCY:-4}" --timeout 120 \
            --worker-tmp-dir /dev/shm \
            "$@" trytond.application:app
        ;;
    worker)
        shift
        check_config
        wait_for_db
        exec trytond-worker -c "$TRYTOND_CONFIG" -d "$URBAN_DATABASE" \
            -n "${WORKER_PROCESSES:-2}" "$@"
        ;;
    cron)
        shift
        check_config
        wait_for_db
        exec trytond-cron -c "$TRYTOND_CONFIG" -d "$URBAN_DATABASE" "$@"
        ;;
    migrate)
        shift
        check_config
        migrate "$@"
        ;;
    console)
        shift
        check_config
        exec trytond-console -c "$TRYTOND_CONFIG" -d "$URBAN_DATABASE" "$@"
        ;;
    backup)
        shift
        check_config
        wait_for_db
        exec pg_dump --format=custom --no-owner --no-privileges "$@" \
            "$(pg_uri "$URBAN_DATABASE")"
        ;;
    *)
        exec "$@"
        ;;
esac
