# Sourced by .ci/run: starts the servers the tests talk to, each on 127.0.0.1 on a free port with
# a throwaway data directory under $servers, and stops them all in stop_servers (the caller traps
# EXIT). Each start_* function fails loudly: a server that does not come up fails the run.
#
#   start_redis, start_memcached   export WAFFLECTL_TEST_REDIS / WAFFLECTL_TEST_MEMCACHED (HOST:PORT)
#   start_redis also               exports WAFFLECTL_TEST_REDIS_ACL_URL (redis://USER:PASSWORD@HOST:PORT,
#                                  an ACL user of that server whose password has a '/', written %2F)
#                                  and WAFFLECTL_TEST_REDIS_TLS (HOST:PORT of a second, TLS-only Redis
#                                  with a certificate from the throwaway authority below)
#   start_mariadb                  exports WAFFLECTL_TEST_MYSQL_URL (mysql://USER:PASSWORD@HOST:PORT/DB)
#   start_postgres                 exports WAFFLECTL_TEST_PG_URL (postgres://USER:PASSWORD@HOST:PORT/DB)
#
# Each database server holds one database, `wafflectl`, owned by the user `wafflectl` (all
# privileges on it), and a user `wafflectl_ro` that may only read it, for the tests of a user
# without write grants: WAFFLECTL_TEST_MYSQL_RO_URL and WAFFLECTL_TEST_PG_RO_URL. Both servers
# offer TLS with a certificate for 127.0.0.1 from a throwaway certificate authority made here
# (its certificate: WAFFLECTL_TEST_TLS_CA), and have a user `wafflectl_tls` that may only log
# in over TLS (and read): WAFFLECTL_TEST_MYSQL_TLS_URL and WAFFLECTL_TEST_PG_TLS_URL.
# Passwords are random per run.

servers="$(mktemp -d)"
chmod 755 "$servers"
stoppers=()

stop_servers() {
  local i
  for ((i = ${#stoppers[@]} - 1; i >= 0; i--)); do eval "${stoppers[$i]}" || true; done
  rm -rf "$servers"
}

# stop_daemon PIDFILE: ends a server that detached itself and waits (up to 10 s) until it has
# gone, so that nothing writes into its data directory while stop_servers removes it.
stop_daemon() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "process $pid ($1) did not stop" >&2
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  echo "no free port found on 127.0.0.1" >&2
  return 1
}

# wait_port NAME PORT [LOG]: waits up to 30 s for NAME to listen on PORT; prints LOG if it does not.
wait_port() {
  for _ in $(seq 300); do
    if ! port_free "$2"; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not start on 127.0.0.1:$2" >&2
  if [ -n "${3:-}" ] && [ -f "$3" ]; then tail -n 20 "$3" >&2; fi
  return 1
}

password() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

# server_cert DIR: a throwaway key and certificate for 127.0.0.1 (DIR/server.key,
# DIR/server.crt), signed by this run's certificate authority ($servers/ca), which is made on
# first use and exported as WAFFLECTL_TEST_TLS_CA.
server_cert() {
  local ca="$servers/ca"
  if [ ! -f "$ca/ca.crt" ]; then
    mkdir -p "$ca"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=wafflectl test CA" \
      -keyout "$ca/ca.key" -out "$ca/ca.crt" >/dev/null 2>&1 \
      || { echo "openssl could not make a certificate authority" >&2; return 1; }
    chmod 644 "$ca/ca.crt"
  fi
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$1/ext.cnf"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$1/server.key" \
    -out "$1/server.csr" >/dev/null 2>&1 \
    && openssl x509 -req -in "$1/server.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" \
      -CAcreateserial -days 2 -extfile "$1/ext.cnf" -out "$1/server.crt" >/dev/null 2>&1 \
    || { echo "openssl could not make a server certificate" >&2; return 1; }
  chmod 600 "$1/server.key"
  export WAFFLECTL_TEST_TLS_CA="$ca/ca.crt"
}

start_redis() {
  local port tls_port pw
  port="$(free_port)"
  pw="$(password)/$(password)"
  mkdir "$servers/redis"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$servers/redis" --save '' \
    --appendonly no --daemonize yes --pidfile "$servers/redis.pid" --logfile "$servers/redis.log" \
    --user default on nopass '~*' '&*' +@all \
    --user wafflectl_acl on ">$pw" '~*' '&*' +@all
  stoppers+=("stop_daemon '$servers/redis.pid'")
  wait_port redis-server "$port" "$servers/redis.log"
  export WAFFLECTL_TEST_REDIS="127.0.0.1:$port"
  export WAFFLECTL_TEST_REDIS_ACL_URL="redis://wafflectl_acl:${pw//\//%2F}@127.0.0.1:$port"

  # TLS only (no plain port), as managed Redis with in-transit encryption is.
  tls_port="$(free_port)"
  mkdir -p "$servers/redis-tls/tls"
  server_cert "$servers/redis-tls/tls"
  redis-server --bind 127.0.0.1 --port 0 --tls-port "$tls_port" --dir "$servers/redis-tls" \
    --tls-cert-file "$servers/redis-tls/tls/server.crt" \
    --tls-key-file "$servers/redis-tls/tls/server.key" \
    --tls-ca-cert-file "$WAFFLECTL_TEST_TLS_CA" --tls-auth-clients no \
    --save '' --appendonly no --daemonize yes --pidfile "$servers/redis-tls.pid" \
    --logfile "$servers/redis-tls.log"
  stoppers+=("stop_daemon '$servers/redis-tls.pid'")
  wait_port redis-server "$tls_port" "$servers/redis-tls.log"
  export WAFFLECTL_TEST_REDIS_TLS="127.0.0.1:$tls_port"
}

start_memcached() {
  local port
  port="$(free_port)"
  memcached -u "$(id -un)" -l 127.0.0.1 -p "$port" -U 0 -d -P "$servers/memcached.pid"
  stoppers+=("stop_daemon '$servers/memcached.pid'")
  wait_port memcached "$port"
  export WAFFLECTL_TEST_MEMCACHED="127.0.0.1:$port"
}

# MariaDB: its own system tables in a fresh data directory, reached by root over the socket only.
start_mariadb() {
  local port dir="$servers/mariadb" pw ro
  port="$(free_port)"
  pw="$(password)"
  ro="$(password)"
  mkdir -p "$dir/data" "$dir/tls"
  server_cert "$dir/tls"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
    || { tail -n 20 "$dir/install.log" >&2; return 1; }
  mariadbd --no-defaults --datadir="$dir/data" --user="$(id -un)" --bind-address=127.0.0.1 \
    --port="$port" --socket="$dir/sock" --pid-file="$dir/pid" --log-error="$dir/error.log" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --ssl-cert="$dir/tls/server.crt" --ssl-key="$dir/tls/server.key" \
    >/dev/null 2>&1 &
  # A child of this shell: wait reaps it once it has shut down.
  stoppers+=("kill $! 2>/dev/null; wait $! 2>/dev/null")
  wait_port mariadbd "$port" "$dir/error.log"
  mariadb --no-defaults --socket="$dir/sock" -uroot <<SQL
CREATE DATABASE wafflectl CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wafflectl'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON wafflectl.* TO 'wafflectl'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`test_wafflectl%\`.* TO 'wafflectl'@'127.0.0.1';
CREATE USER 'wafflectl_ro'@'127.0.0.1' IDENTIFIED BY '$ro';
GRANT SELECT ON wafflectl.* TO 'wafflectl_ro'@'127.0.0.1';
CREATE USER 'wafflectl_tls'@'127.0.0.1' IDENTIFIED BY '$ro' REQUIRE SSL;
GRANT SELECT ON wafflectl.* TO 'wafflectl_tls'@'127.0.0.1';
SQL
  export WAFFLECTL_TEST_MYSQL_URL="mysql://wafflectl:$pw@127.0.0.1:$port/wafflectl"
  export WAFFLECTL_TEST_MYSQL_RO_URL="mysql://wafflectl_ro:$ro@127.0.0.1:$port/wafflectl"
  export WAFFLECTL_TEST_MYSQL_TLS_URL="mysql://wafflectl_tls:$ro@127.0.0.1:$port/wafflectl"
}

# PostgreSQL: initdb and the server refuse to run as root, so as root they run as the `postgres`
# account the distribution's package creates.
start_postgres() {
  local port dir="$servers/postgres" pw ro bindir as=()
  port="$(free_port)"
  pw="$(password)"
  ro="$(password)"
  bindir="$(pg_config --bindir 2>/dev/null || true)"
  if [ ! -x "$bindir/initdb" ]; then
    bindir="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  fi
  [ -x "$bindir/initdb" ] || { echo "no PostgreSQL server binaries (initdb) found" >&2; return 1; }
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { tail -n 20 "$dir/initdb.log" >&2; return 1; }
  # Password logins over TCP (wafflectl_tls over TLS only); the local socket (for the setup
  # below) trusts the owner.
  printf '%s\n' 'local all all trust' \
    'hostssl all wafflectl_tls 127.0.0.1/32 scram-sha-256' \
    'hostnossl all wafflectl_tls 127.0.0.1/32 reject' \
    'host all all 127.0.0.1/32 scram-sha-256' >"$dir/data/pg_hba.conf"
  mkdir -p "$dir/tls"
  server_cert "$dir/tls"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir/tls"; fi
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c ssl=on \
        -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; return 1; }
  stoppers+=("${as[*]} '$bindir/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null")
  "${as[@]}" psql -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres <<SQL
CREATE ROLE wafflectl LOGIN CREATEDB PASSWORD '$pw';
CREATE DATABASE wafflectl OWNER wafflectl ENCODING 'UTF8';
CREATE ROLE wafflectl_ro LOGIN PASSWORD '$ro';
CREATE ROLE wafflectl_tls LOGIN PASSWORD '$ro';
\connect wafflectl
-- sql variant's PostgreSQL SHA-1 (docs/warehouse.md); contrib ships with the server package.
CREATE EXTENSION pgcrypto;
ALTER DEFAULT PRIVILEGES FOR ROLE wafflectl IN SCHEMA public GRANT SELECT ON TABLES TO wafflectl_ro, wafflectl_tls;
GRANT USAGE ON SCHEMA public TO wafflectl_ro, wafflectl_tls;
SQL
  export WAFFLECTL_TEST_PG_URL="postgres://wafflectl:$pw@127.0.0.1:$port/wafflectl"
  export WAFFLECTL_TEST_PG_RO_URL="postgres://wafflectl_ro:$ro@127.0.0.1:$port/wafflectl"
  export WAFFLECTL_TEST_PG_TLS_URL="postgres://wafflectl_tls:$ro@127.0.0.1:$port/wafflectl"
}
