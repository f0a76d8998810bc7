#!/bin/sh
# Copyright 2026 the james-split-domain authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
# Provisions the docker-compose master and slave through WebAdmin, as the demo does in process:
# example.com split between them; alice on the master, bob on the slave (third-party at the master).
set -eu
# The distributed profile points these at its master nodes (see docker-compose.yml).
MASTER=${MASTER:-http://master:8000}
SLAVE=${SLAVE:-http://slave:8000}
MASTER_RELAYS=${MASTER_RELAYS:-'"master:25"'}
# Made by make-keys.sh; docker-compose.yml mounts it here.
TOKEN=$(cat "${TOKEN_FILE:-/webadmin.token}")

wait_for() {
  for i in $(seq 1 60); do
    curl -sf -H "Authorization: Bearer $TOKEN" "$1/healthcheck" >/dev/null 2>&1 && return 0
    sleep 2
  done
  echo "WebAdmin at $1 did not answer" >&2
  exit 1
}

put() {
  curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${2:+-d "$2"} "$1" >/dev/null || { echo "PUT $1 failed" >&2; exit 1; }
}

wait_for "$MASTER"
wait_for "$SLAVE"

put "$MASTER/domains/example.com"
put "$MASTER/users/alice@example.com" '{"password":"secret"}'
put "$MASTER/users/bob@example.com" '{"password":"secret"}'
put "$MASTER/domains/example.com/split-routing" '{"relays":["slave:25"],"forwardUnknown":false}'
put "$MASTER/users/bob@example.com/split-routing" '{"thirdParty":true}'

put "$SLAVE/domains/example.com"
put "$SLAVE/users/bob@example.com" '{"password":"secret"}'
put "$SLAVE/domains/example.com/split-routing" '{"relays":['"$MASTER_RELAYS"'],"forwardUnknown":true}'

echo "master and slave provisioned"
