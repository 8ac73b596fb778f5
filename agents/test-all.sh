#!/usr/bin/env bash
# Runs the three agents' own test suites against the real libraries (Debian's packages for
# Python and Ruby, npm for Node), Redis, PostgreSQL and RabbitMQ, and prints one closing line.
# The agents run against the Ebbflow web process in tests/e2e/agents.spec.ts.
set -uo pipefail
cd "$(dirname "$0")"
export REDIS_URL="${AGENTS_REDIS_URL:-${REDIS_URL:-redis://127.0.0.1:6379/5}}"
PY=/usr/bin/python3
passed=0
failed=0
record() { if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "agents: $1 passed"; else failed=$((failed + 1)); echo "agents: $1 FAILED"; fi; }

if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  if command -v rabbitmq-server >/dev/null; then
    echo "agents: starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 1; done
  fi
fi

echo "== agents/node"
if [ ! -d node/node_modules/bullmq ]; then (cd node && npm ci --no-audit --no-fund >/dev/null); fi
(cd node && npm test --silent)
record node $?

echo "== agents/python"
(cd python && $PY -W ignore -m unittest discover -s tests -t . -v 2>&1 | tail -n 40; exit "${PIPESTATUS[0]}")
record python $?

echo "== agents/ruby"
(cd ruby && ruby -W0 -Itest -e 'Dir["test/test_*.rb"].sort.each { |file| require_relative file }')
record ruby $?

echo "agents: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
