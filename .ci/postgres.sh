#!/usr/bin/env bash
# PostgreSQL for the platform's tests and benchmarks, on a Debian machine, run as root: installs Debian's
# `postgresql` if it is missing, makes sure one cluster runs on loopback (creating it if there is none), and
# creates the roles the test suites use. Safe to run again: every step checks before it acts.
#
# Roles (passwords are for this loopback test cluster only; production roles are the operator's, see README):
#   compliance_owner  owns the schema and runs migrations (no superuser, no BYPASSRLS)
#   compliance_app    what the platform connects as: owns nothing, no BYPASSRLS, only the grants migrate gives
#   cc_test_admin     test infrastructure only: creates and drops a database per test file, and reads or
#                     tampers with rows past the platform, as tests about triggers and secrets must
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# The newest installed server version, and its cluster (Debian creates `main` on install; a machine whose
# cluster was dropped gets a new one).
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v { found = 1 } END { exit !found }'; then
  pg_createcluster "$version" main >/dev/null
fi
cluster="$(pg_lsclusters -h | awk -v v="$version" '$1 == v { print $2; exit }')"
port="$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')"
status="$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')"
# Loopback only: the cluster is for this machine's tests (Debian's postgresql.conf reads conf.d).
printf "listen_addresses = '127.0.0.1'\n" >"/etc/postgresql/$version/$cluster/conf.d/compliance-console.conf"
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start
else
  pg_ctlcluster "$version" "$cluster" reload
fi

psql_admin() { runuser -u postgres -- psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 -p "$port" "$@"; }
for _ in $(seq 1 30); do
  psql_admin -c 'SELECT 1' >/dev/null 2>&1 && break
  sleep 1
done

psql_admin <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'compliance_owner') THEN
    CREATE ROLE compliance_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'cc-test-owner';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'compliance_app') THEN
    CREATE ROLE compliance_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT PASSWORD 'cc-test-app';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cc_test_admin') THEN
    CREATE ROLE cc_test_admin LOGIN SUPERUSER PASSWORD 'cc-test-admin';
  END IF;
END
$$;
SQL

# Sourced (as .ci/run does), the tests that follow find the cluster on whatever port it has.
export CC_TEST_POSTGRES_PORT="$port"
echo "PostgreSQL $version/$cluster on 127.0.0.1:$port with roles compliance_owner, compliance_app, cc_test_admin"
if [ "$port" != "5432" ]; then
  echo "Its port is not 5432: run with bash rather than sourced, export CC_TEST_POSTGRES_PORT=$port before npm test"
fi
