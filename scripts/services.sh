#!/usr/bin/env bash
# Installs, starts and stops the real services FerBatch's tests and local runs use, all on loopback:
#   RabbitMQ     amqp://guest:guest@127.0.0.1:5672/
#   PostgreSQL   Host=127.0.0.1;Port=5432;Username=fer;Password=fer;Database=fer   (role fer has CREATEDB and CREATEROLE: tests create a least-privilege worker role)
#   Azurite blob http://127.0.0.1:10000/devstoreaccount1   (UseDevelopmentStorage=true)
# Usage: scripts/services.sh install|start [SERVICE]|stop [SERVICE]|kill SERVICE|status   (SERVICE: postgres, rabbitmq or azurite;
#        kill = SIGKILL, postgres or rabbitmq only: the fault suite's crash scenarios)
# Every subcommand is idempotent: already-installed packages and already-running services are left alone.
set -euo pipefail

LOG_DIR="${FER_SERVICES_LOG_DIR:-/tmp/fer-services}"
AZURITE_DIR="${FER_AZURITE_DIR:-/tmp/azurite}"
AZURITE_VERSION="3.37.0"
PG_VERSION=15
PG_CLUSTER=main
START_TIMEOUT_S="${FER_SERVICES_TIMEOUT_S:-120}"

APT_PACKAGES=(rabbitmq-server postgresql python3-torch python3-onnx python3-pil python3-matplotlib)
# Chromium is only needed by the browser test; its recommends (fonts, desktop bits) are not.
# OpenCV's native library (face detection in photos, OpenCvSharp4.official.runtime.linux-x64) links GTK 3 and
# libjpeg 6.2; without them crops still classify and photos fail with the install hint.
APT_PACKAGES_NO_RECOMMENDS=(chromium libgtk-3-0 libjpeg62-turbo)

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------- install

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing_packages() {
  local p
  for p in "$@"; do package_installed "$p" || printf '%s\n' "$p"; done
}

APT_UPDATED=false
apt_install() {
  # $1: extra apt-get flags (may be empty); rest: packages
  local flags=$1; shift
  [[ $# -gt 0 ]] || return 0
  if [[ $APT_UPDATED == false ]]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
    APT_UPDATED=true
  fi
  log "apt-get install $flags $*"
  # shellcheck disable=SC2086 # $flags is intentionally word-split
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq $flags "$@" >"$LOG_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/apt.log" >&2; die "apt-get install failed (full log: $LOG_DIR/apt.log)"; }
}

cmd_install() {
  mkdir -p "$LOG_DIR"
  local missing
  mapfile -t missing < <(missing_packages "${APT_PACKAGES[@]}")
  apt_install "" "${missing[@]}"
  mapfile -t missing < <(missing_packages "${APT_PACKAGES_NO_RECOMMENDS[@]}")
  apt_install "--no-install-recommends" "${missing[@]}"

  if ! command -v azurite-blob >/dev/null 2>&1; then
    log "npm install -g azurite@$AZURITE_VERSION"
    as_root npm install -g --no-fund --no-audit "azurite@$AZURITE_VERSION" >"$LOG_DIR/npm.log" 2>&1 \
      || { tail -n 30 "$LOG_DIR/npm.log" >&2; die "npm install azurite failed"; }
  fi
  log "install: done"
}

# ---------------------------------------------------------------- helpers

port_open() {
  # bash's /dev/tcp avoids depending on nc/ss being installed
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# wait_for NAME TIMEOUT_S "LOGFILE..." CHECK_CMD...   (LOGFILE...: space-separated logs to show on failure)
wait_for() {
  local name=$1 timeout_s=$2 logfiles=$3; shift 3
  local deadline=$((SECONDS + timeout_s)) f
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "$name did not come up within ${timeout_s}s"
      for f in $logfiles; do
        log "last lines of $f:"
        tail -n 40 "$f" >&2 2>/dev/null || true
      done
      die "$name failed to start"
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------- RabbitMQ

RABBIT_ENV=/etc/rabbitmq/rabbitmq-env.conf
RABBIT_CONF=/etc/rabbitmq/rabbitmq.conf

# Writes $2 to file $1 only when it differs, so reruns do not touch configs.
write_if_changed() {
  local file=$1 content=$2
  if [[ ! -f $file ]] || [[ "$(cat "$file")" != "$content" ]]; then
    as_root mkdir -p "$(dirname "$file")"
    printf '%s\n' "$content" | as_root tee "$file" >/dev/null
  fi
}

configure_rabbitmq() {
  # A fixed node name keeps the node's data dir stable when the machine's hostname changes,
  # and loopback-only listeners keep the broker off the network.
  write_if_changed "$RABBIT_ENV" "NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1"
  write_if_changed "$RABBIT_CONF" "listeners.tcp.default = 127.0.0.1:5672
distribution.listener.interface = 127.0.0.1
loopback_users.guest = true"
}

rabbit_ping() { as_root rabbitmq-diagnostics -q ping; }

start_rabbitmq() {
  command -v rabbitmq-server >/dev/null || die "rabbitmq-server is not installed; run: $0 install"
  configure_rabbitmq
  if port_open 5672 && rabbit_ping >/dev/null 2>&1; then
    log "RabbitMQ already running on 127.0.0.1:5672"
    return
  fi
  local logfile="$LOG_DIR/rabbitmq.log"
  log "starting RabbitMQ (log: $logfile)"
  # setsid + closed stdio: the broker outlives this script and never holds the caller's output open.
  as_root setsid rabbitmq-server </dev/null >>"$logfile" 2>&1 &
  local logs="$logfile /var/log/rabbitmq/rabbit@localhost.log"
  wait_for "RabbitMQ" "$START_TIMEOUT_S" "$logs" port_open 5672
  wait_for "RabbitMQ" "$START_TIMEOUT_S" "$logs" rabbit_ping
  log "RabbitMQ up on 127.0.0.1:5672"
}

# SIGKILL of the Erlang VM (beam.smp): no clean shutdown of queues or the message store, as a crashed node.
kill_rabbitmq() {
  local pid
  pid=$(as_root rabbitmqctl -q eval 'os:getpid().' 2>/dev/null | tr -dc '0-9') || true
  [[ -n $pid ]] || { log "RabbitMQ is not running"; return 0; }
  log "SIGKILL RabbitMQ (beam.smp pid $pid)"
  as_root kill -KILL "$pid" || true
  local deadline=$((SECONDS + 30))
  while (kill -0 "$pid" 2>/dev/null || port_open 5672) && ((SECONDS < deadline)); do sleep 0.2; done
}

stop_rabbitmq() {
  if rabbit_ping >/dev/null 2>&1; then
    log "stopping RabbitMQ"
    as_root rabbitmqctl -q stop || true
  fi
}

# ---------------------------------------------------------------- PostgreSQL

pg_psql() { as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p 5432 "$@"; }

configure_postgres() {
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION $PG_CLUSTER"; then
    log "creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
    as_root pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null
  fi
  # Debian's postgresql.conf includes conf.d/; later settings win.
  # synchronous_commit=off: these are disposable test/dev databases, and it makes writes much cheaper.
  write_if_changed "/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/fer.conf" "listen_addresses = '127.0.0.1'
port = 5432
synchronous_commit = off"
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432; }

start_postgres() {
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed; run: $0 install"
  configure_postgres
  local logfile="/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
  if pg_ready; then
    log "PostgreSQL already running on 127.0.0.1:5432"
  else
    log "starting PostgreSQL $PG_VERSION (log: $logfile)"
    as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start </dev/null >>"$LOG_DIR/postgresql-start.log" 2>&1 || {
      tail -n 20 "$LOG_DIR/postgresql-start.log" >&2
      tail -n 40 "$logfile" >&2 2>/dev/null || true
      die "pg_ctlcluster start failed"
    }
    wait_for "PostgreSQL" "$START_TIMEOUT_S" "$logfile" pg_ready
  fi
  # Role and database the tests and hosts use; ALTER keeps an existing role's settings right.
  pg_psql -d postgres <<'SQL'
SELECT 'CREATE ROLE fer' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fer') \gexec
ALTER ROLE fer WITH LOGIN PASSWORD 'fer' CREATEDB CREATEROLE;
-- DROP DATABASE ... WITH (FORCE) after a test or benchmark must also end an autovacuum worker that happens to be
-- in the just-used database; without this the drop fails with "must be a member of pg_signal_backend".
GRANT pg_signal_backend TO fer;
SELECT 'CREATE DATABASE fer OWNER fer' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'fer') \gexec
SQL
  PGPASSWORD=fer psql -X -q -h 127.0.0.1 -p 5432 -U fer -d fer -tAc 'SELECT 1' >/dev/null \
    || die "PostgreSQL is up but role fer cannot log in to database fer"
  log "PostgreSQL up on 127.0.0.1:5432 (role fer, database fer)"
}

stop_postgres() {
  if pg_ready; then
    log "stopping PostgreSQL"
    as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast || true
  fi
}

# SIGKILL, not a clean stop: the postmaster and every backend die at once, so the next start runs crash recovery
# (WAL replay from the last checkpoint).
kill_postgres() {
  local pidfile="/var/lib/postgresql/$PG_VERSION/$PG_CLUSTER/postmaster.pid" pid children
  [[ -f $pidfile ]] || { log "PostgreSQL is not running (no $pidfile)"; return 0; }
  pid=$(head -n 1 "$pidfile")
  children=$(pgrep -P "$pid" || true)
  log "SIGKILL PostgreSQL postmaster $pid and its $(wc -w <<<"$children") children"
  # shellcheck disable=SC2086 # one pid per word
  as_root kill -KILL "$pid" $children 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while (kill -0 "$pid" 2>/dev/null || port_open 5432) && ((SECONDS < deadline)); do sleep 0.2; done
}


AZURITE_PID_FILE="$LOG_DIR/azurite.pid"

azurite_ready() {
  # Any HTTP answer from the blob endpoint means it is serving.
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:10000/devstoreaccount1?comp=list"
}

start_azurite() {
  command -v azurite-blob >/dev/null || die "azurite-blob is not installed; run: $0 install"
  if port_open 10000 && azurite_ready; then
    log "Azurite blob already running on 127.0.0.1:10000"
    return
  fi
  mkdir -p "$AZURITE_DIR"
  local logfile="$LOG_DIR/azurite.log"
  log "starting Azurite blob (data: $AZURITE_DIR, log: $logfile)"
  setsid azurite-blob --blobHost 127.0.0.1 --blobPort 10000 --disableTelemetry --skipApiVersionCheck \
    --location "$AZURITE_DIR" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$AZURITE_PID_FILE"
  wait_for "Azurite" "$START_TIMEOUT_S" "$logfile" azurite_ready
  log "Azurite blob up on 127.0.0.1:10000"
}

stop_azurite() {
  if [[ -f $AZURITE_PID_FILE ]]; then
    local pid
    pid=$(cat "$AZURITE_PID_FILE")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping Azurite (pid $pid)"
      kill "$pid" || true
      local deadline=$((SECONDS + 15))
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    fi
    rm -f "$AZURITE_PID_FILE"
  elif port_open 10000; then
    log "something not started by this script listens on 10000; leaving it alone"
  fi
}

# ---------------------------------------------------------------- main

cmd_start() {
  mkdir -p "$LOG_DIR"
  case "${1:-all}" in
    all) start_postgres; start_rabbitmq; start_azurite; log "start: all services up" ;;
    postgres) start_postgres ;;
    rabbitmq) start_rabbitmq ;;
    azurite) start_azurite ;;
    *) die "unknown service '$1' (postgres, rabbitmq, azurite)" ;;
  esac
}

cmd_stop() {
  mkdir -p "$LOG_DIR"
  case "${1:-all}" in
    all) stop_azurite; stop_rabbitmq; stop_postgres; log "stop: done" ;;
    postgres) stop_postgres ;;
    rabbitmq) stop_rabbitmq ;;
    azurite) stop_azurite ;;
    *) die "unknown service '$1' (postgres, rabbitmq, azurite)" ;;
  esac
}

cmd_kill() {
  mkdir -p "$LOG_DIR"
  case "${1:-}" in
    postgres) kill_postgres ;;
    rabbitmq) kill_rabbitmq ;;
    *) die "kill takes postgres or rabbitmq" ;;
  esac
}

cmd_status() {
  local rc=0
  if pg_ready; then echo "postgresql: up (127.0.0.1:5432)"; else echo "postgresql: down"; rc=1; fi
  if port_open 5672; then echo "rabbitmq:   up (127.0.0.1:5672)"; else echo "rabbitmq:   down"; rc=1; fi
  if azurite_ready; then echo "azurite:    up (127.0.0.1:10000)"; else echo "azurite:    down"; rc=1; fi
  return $rc
}

# start and stop take an optional service name (postgres, rabbitmq, azurite); the fault suite stops one at a time.
case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start "${2:-all}" ;;
  stop) cmd_stop "${2:-all}" ;;
  kill) cmd_kill "${2:-}" ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start [SERVICE]|stop [SERVICE]|kill postgres|rabbitmq|status" >&2; exit 2 ;;
esac
