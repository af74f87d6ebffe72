# A throwaway PostgreSQL cluster for tests of the central store: initdb and pg_ctl in a
# temporary folder, reached only through a Unix socket in that folder (no TCP listener), and
# removed on exit. Source it after tests/e2e/lib.sh; pg_start sets PG_URL (a libpq URI of the
# database "city") and PGHOST/PGUSER/PGDATABASE for psql.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_DIR=
PG_URL=

# PostgreSQL refuses to run as root: then the cluster belongs to the postgres user, which the
# server package creates.
pg_as() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
    [ -x "$PG_BIN/initdb" ] || fail "no PostgreSQL server (initdb) found: scripts/deps.sh installs postgresql-15"
    # Short: a socket path must fit in 107 bytes.
    PG_DIR=$(mktemp -d /tmp/hallq-pg.XXXXXX)
    [ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DIR"
    pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U hallq -A trust -E UTF8 --locale=C.UTF-8 \
        > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; fail "initdb"; }
    pg_up
    export PGHOST=$PG_DIR PGUSER=hallq PGDATABASE=city
    pg_as "$PG_BIN/createdb" -h "$PG_DIR" -U hallq city || fail "createdb city"
    PG_URL="postgresql:///city?host=$PG_DIR&user=hallq"
}

# pg_up / pg_down: the server of the cluster started and stopped (the files stay).
pg_up() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $PG_DIR -c fsync=off" start > /dev/null ||
        { tail -n 20 "$PG_DIR/server.log" >&2; fail "pg_ctl start"; }
}

pg_down() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 60 -m "${1:-fast}" stop > /dev/null
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    [ -f "$PG_DIR/data/postmaster.pid" ] && pg_down immediate
    rm -rf "$PG_DIR"
    PG_DIR=
}

psql_q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

trap 'pg_stop 2>/dev/null; cleanup' EXIT
