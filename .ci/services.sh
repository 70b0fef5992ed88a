#!/usr/bin/env bash
# Throwaway Redis and PostgreSQL for the test suite, on loopback only; also installs Chromium
# (with CJK fonts) for the end-to-end tests, and the CJK TrueType font agenda PDFs embed.
#
#   .ci/services.sh start    install what is missing (apt), start both, wait until they answer
#   .ci/services.sh stop     stop both and delete their data
#   .ci/services.sh status   exit 0 only when both answer
#
# Redis:      redis://127.0.0.1:63790/0
# PostgreSQL: postgres://robomatch:robomatch@127.0.0.1:54329/robomatch (role may create databases,
#             so pytest-django can create its test database)
# Idempotent: starting what runs, or stopping what does not, does nothing.
set -euo pipefail

STATE_DIR=/tmp/robomatch-services
REDIS_PORT=63790
REDIS_PID="$STATE_DIR/redis.pid"
PG_PORT=54329
PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA="$STATE_DIR/postgres-data"
PG_SOCKET="$STATE_DIR/postgres-socket"
PG_LOG="$STATE_DIR/postgres.log"
PG_PID="$STATE_DIR/postgres.pid"
WAIT_SECONDS=60

log() { printf '[services] %s\n' "$*"; }

as_postgres() { runuser -u postgres -- "$@"; }

install_missing() {
    local packages=()
    command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
    [[ -x "$PG_BIN/initdb" ]] || packages+=(postgresql-15)
    [[ -x /usr/bin/chromium ]] || packages+=(chromium)
    # Pages are Chinese first: without CJK fonts, browser screenshots show empty boxes.
    dpkg -s fonts-noto-cjk >/dev/null 2>&1 || packages+=(fonts-noto-cjk)
    # Agenda PDFs embed a TrueType CJK font (ReportLab cannot embed Noto's CFF outlines).
    dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || packages+=(fonts-wqy-zenhei)
    if ((${#packages[@]} == 0)); then
        return
    fi
    log "installing with apt-get: ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null
}

redis_answers() {
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

postgres_answers() {
    [[ -x "$PG_BIN/pg_isready" ]] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
}

wait_for() {
    local name=$1 check=$2 waited=0
    until "$check"; do
        if ((waited >= WAIT_SECONDS * 2)); then
            log "$name did not answer within ${WAIT_SECONDS}s"
            return 1
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    log "$name answers"
}

start_redis() {
    if redis_answers; then
        log "redis already running on 127.0.0.1:$REDIS_PORT"
        return
    fi
    mkdir -p "$STATE_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
        --daemonize yes --pidfile "$REDIS_PID" --dir "$STATE_DIR/redis" \
        --logfile "$STATE_DIR/redis.log" --save '' --appendonly no
    wait_for redis redis_answers || { tail -n 20 "$STATE_DIR/redis.log" >&2; return 1; }
}

start_postgres() {
    if postgres_answers; then
        log "postgresql already running on 127.0.0.1:$PG_PORT"
        return
    fi
    # A stale data dir (from a killed run) is thrown away; nothing in it is worth keeping.
    rm -rf "$PG_DATA" "$PG_SOCKET"
    mkdir -p "$PG_DATA" "$PG_SOCKET"
    chown postgres:postgres "$PG_DATA" "$PG_SOCKET"
    chmod 700 "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/initdb.log" 2>&1 \
        || { cat "$STATE_DIR/initdb.log" >&2; return 1; }
    touch "$PG_LOG"
    chown postgres:postgres "$PG_LOG"
    # fsync off: the data is thrown away after the run, and the tests create and drop a lot.
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$WAIT_SECONDS" \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCKET -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
        || { tail -n 20 "$PG_LOG" >&2; return 1; }
    wait_for postgresql postgres_answers || { tail -n 20 "$PG_LOG" >&2; return 1; }
    head -n 1 "$PG_DATA/postmaster.pid" >"$PG_PID"
    as_postgres "$PG_BIN/psql" -q -h "$PG_SOCKET" -p "$PG_PORT" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE robomatch LOGIN CREATEDB PASSWORD 'robomatch'" \
        -c "CREATE DATABASE robomatch OWNER robomatch"
    log "postgresql database robomatch ready"
}

stop_redis() {
    if redis_answers; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    if [[ -f "$REDIS_PID" ]]; then
        local pid waited=0
        pid=$(cat "$REDIS_PID")
        while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do
            sleep 0.5
            waited=$((waited + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    fi
    rm -rf "$REDIS_PID" "$STATE_DIR/redis"
    log "redis stopped"
}

stop_postgres() {
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null \
            || true
    fi
    rm -rf "$PG_DATA" "$PG_SOCKET" "$PG_PID"
    log "postgresql stopped"
}

status() {
    local code=0
    if redis_answers; then log "redis: running on 127.0.0.1:$REDIS_PORT"; else
        log "redis: not running"
        code=1
    fi
    if postgres_answers; then log "postgresql: running on 127.0.0.1:$PG_PORT"; else
        log "postgresql: not running"
        code=1
    fi
    return "$code"
}

case "${1:-}" in
    start)
        mkdir -p "$STATE_DIR"
        chmod 755 "$STATE_DIR"
        install_missing
        start_redis
        start_postgres
        ;;
    stop)
        stop_redis
        stop_postgres
        ;;
    status)
        status
        ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
