#!/usr/bin/env bash
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
# Benchmarks of james-split-domain, measured side by side on this machine; writes benchmarks/RESULTS.md.
#
#   benchmarks/run.sh           full run (about 20 minutes on 2 cores)
#   benchmarks/run.sh --quick   smoke run (about 3 minutes): fewer messages, shorter JMH
#   benchmarks/run.sh --profile-relay   only the relay of stock James and ours, each recorded with JFR;
#                                       writes benchmarks/target/run/profile-*.txt (hottest methods)
#   benchmarks/run.sh --settings-stores only the settings stores at scale (1 M users on PostgreSQL and on Cassandra,
#                                       about 10 minutes); rewrites that section of RESULTS.md alone
#   benchmarks/run.sh --edge            only the SMTP edge (about 5 minutes): an innocent client under issue 21's attack
#                                       beside no attack, and refused logins beside wrong passwords; rewrites that section
#
# Only loopback is used. Every process it starts is stopped by PID, also on failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/benchmarks/target/run"
RESULTS="$ROOT/benchmarks/RESULTS.md"
QUICK=false
PROFILE=false
[ "${1:-}" = "--quick" ] && QUICK=true
[ "${1:-}" = "--profile-relay" ] && PROFILE=true
STORES_ONLY=false
[ "${1:-}" = "--settings-stores" ] && STORES_ONLY=true
EDGE_ONLY=false
[ "${1:-}" = "--edge" ] && EDGE_ONLY=true
# The SMTP edge: innocent sessions timed without and with the attack, and login tries per kind and protocol.
EDGE_SESSIONS=300
LOGIN_TRIES=1000
$QUICK && { EDGE_SESSIONS=100; LOGIN_TRIES=200; }

if $QUICK; then
  MESSAGES=500; JMH_ARGS=(-f 1 -wi 1 -i 2 -w 1s -r 1s -p users=1000,100000); FOOTPRINT_USERS=20000; SETTINGS_USERS=10000
else
  MESSAGES=5000; JMH_ARGS=(-f 1 -wi 3 -i 5 -w 2s -r 2s); FOOTPRINT_USERS=100000; SETTINGS_USERS=100000
fi
SETTINGS_CHANGES=200
# The settings stores at scale: a split domain of a million users, whatever the run.
STORE_USERS=1000000
$QUICK && STORE_USERS=100000
SESSIONS=10
SIZE=2048

PIDS=()
POSTFIX_CONF=""
cleanup() {
  if [ -n "$POSTFIX_CONF" ]; then postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true; fi
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

# --- what the run needs -------------------------------------------------------------------------
if ! command -v smtp-source >/dev/null || ! command -v smtp-sink >/dev/null; then
  log "installing Debian's postfix for smtp-source and smtp-sink"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi
SMTP_SOURCE=$(command -v smtp-source)
SMTP_SINK=$(command -v smtp-sink)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing Debian's postgresql for the JPA store at scale"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

rm -rf "$OUT" && mkdir -p "$OUT"
log "building"
mvn -B -q install -DskipTests

# --- the settings stores at scale (store-jpa and store-cassandra's SettingsScaleBenchmark) ----------------
run_store_scale() {
  log "settings stores: import, reload and re-import of $STORE_USERS users on PostgreSQL and on Cassandra"
  mvn -B -q -pl store-jpa,store-cassandra test -Dsplitdomain.excludedGroups=none -Dgroups=settings-scale \
    -Dtest='PostgresqlSettingsScaleBenchmark,CassandraSettingsScaleBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsplitdomain.scale.users="$STORE_USERS" -Dsplitdomain.cassandra.heap=2g > "$OUT/store-scale.log" 2>&1
  cp store-jpa/target/settings-scale-jpa-postgresql.properties store-cassandra/target/settings-scale-cassandra.properties "$OUT/"
  STORE_FOOTPRINT=$(java -Xmx4g -cp "$BENCH_CP" org.splitdomain.benchmarks.SettingsFootprint "$STORE_USERS")
}
store_figure() { grep "^$2=" "$OUT/settings-scale-$1.properties" | cut -d= -f2; }
store_scale_section() {
  echo "<!-- settings-stores -->"
  echo "## Settings stores at scale ($(store_figure jpa-postgresql users) users: half forward every address, half one chosen alias)"
  echo
  echo "Each store through a node's copy, as James uses it (\`SettingsScaleBenchmark\`). Target: an import of 1 M users in at most 10 s."
  echo
  echo "| step | PostgreSQL (JPA) | Cassandra |"
  echo "|---|---:|---:|"
  echo "| import: one \`storeAll\` (one transaction / one commit), until the caller has its answer | $(store_figure jpa-postgresql import_s) s | $(store_figure cassandra import_s) s |"
  echo "| the writing node's next refresh (it does not reload its own write) | $(store_figure jpa-postgresql own_refresh_ms) ms | $(store_figure cassandra own_refresh_ms) ms |"
  echo "| another node loads its copy from scratch | $(store_figure jpa-postgresql reload_s) s | $(store_figure cassandra reload_s) s |"
  echo "| the import applied to the settings tables, in the background (Cassandra) | | $(store_figure cassandra settled_s) s |"
  echo "| the same import again, every user already there (until applied) | $(store_figure jpa-postgresql reimport_s) s | $(store_figure cassandra reimport_s) s |"
  echo
  echo "Heap of a node's copy at this scale: $STORE_FOOTPRINT (target: at most 200 B). PostgreSQL runs with \`fsync=off\` and"
  echo "Cassandra with one node and a 2 GiB heap, on the same 2 cores as the benchmark."
  echo "<!-- /settings-stores -->"
}
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$OUT/bench.cp" >/dev/null
mvn -B -q -pl app dependency:build-classpath -Dmdep.outputFile="$OUT/app.cp" >/dev/null
BENCH_CP="$ROOT/benchmarks/target/classes:$(cat "$OUT/bench.cp")"
APP_CP="$ROOT/app/target/classes:$(cat "$OUT/app.cp")"

if $STORES_ONLY; then
  run_store_scale
  section="$(store_scale_section)"
  SECTION="$section" python3 - "$RESULTS" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
section = os.environ["SECTION"]
pattern = re.compile(r"<!-- settings-stores -->.*?<!-- /settings-stores -->", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
  log "written the settings stores section of $RESULTS"
  exit 0
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- 1. route decision (JMH) ----------------------------------------------------------------------
if ! $PROFILE && ! $EDGE_ONLY; then
  log "JMH: route decision beside RecipientIsLocal"
  java -cp "$BENCH_CP" org.openjdk.jmh.Main RouteDecisionBenchmark "${JMH_ARGS[@]}" -jvmArgs "-Xmx6g" \
    -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1
  FOOTPRINT=$(java -Xmx2g -cp "$BENCH_CP" org.splitdomain.benchmarks.SettingsFootprint "$FOOTPRINT_USERS")
  log "JMH: RCPT check with and without recipient verification (cache hits)"
  java -cp "$BENCH_CP" org.openjdk.jmh.Main RcptVerificationBenchmark "${JMH_ARGS[@]}" -jvmArgs "-Xmx6g" \
    -rf csv -rff "$OUT/jmh-verify.csv" > "$OUT/jmh-verify.log" 2>&1
fi

# --- 2. relay throughput and local delivery -------------------------------------------------------
# A sink counting DATA commands; its counter ("mesg=N") is the last one it printed.
start_sink() { # port logfile
  "$SMTP_SINK" -u nobody -c "127.0.0.1:$1" 1000 > "$2" 2>&1 &
  PIDS+=($!)
  SINK_PID=$!
}
sink_count() { local n; n=$(tr '\r' '\n' < "$1" | grep -Eo 'mesg=[0-9]+' | tail -1 | cut -d= -f2); echo "${n:-0}"; }

wait_for_count() { # logfile expected timeout_s
  local deadline=$((SECONDS + $3))
  while [ "$(sink_count "$1")" != "$2" ]; do
    [ $SECONDS -ge $deadline ] && { log "timeout: $(sink_count "$1")/$2 in $1"; return 1; }
    sleep 0.2
  done
}

now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):.1f}')"; }
# CPU seconds (user + system) a process has used so far: less noisy than wall time on a shared machine.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
per_message_ms() { python3 -c "print(f'{($2-$1)*1000/$MESSAGES:.2f}')"; }

# James from a configuration directory, on loopback, in its own JVM (our launcher).
start_james() { # name confdir smtp_port webadmin_port [submission=N,imap=N,pop3=N]
  local work="$OUT/$1"
  java -Xmx4g -Dlogback.configurationFile="$2/logback.xml" -Djames.exit.on.startup.error=true \
    -cp "$APP_CP" org.splitdomain.app.SplitRoutingJamesServer --conf "$2" --work "$work" \
    --ports "smtp=$3,${5:-submission=0,imap=0,pop3=0},webadmin=$4" > "$OUT/$1.log" 2>&1 &
  PIDS+=($!)
  JAMES_PID=$!
  local deadline=$((SECONDS + 120))
  # WebAdmin wants the token our launcher makes for each working directory (README, "WebAdmin authentication").
  until [ -f "$work/webadmin.token" ] && TOKEN=$(cat "$work/webadmin.token") && curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$4/domains" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && { log "James $1 did not start, see $OUT/$1.log"; exit 1; }
    sleep 0.5
  done
}
stop_james() { kill "$JAMES_PID" 2>/dev/null || true; wait "$JAMES_PID" 2>/dev/null || true; }

put() { curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$1$2" >/dev/null; }
spool_empty() { [ "$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/mailQueues/spool" | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])')" = "0" ]; }

# Configurations: ours is james-conf/ as shipped; stock is the same James without the extension,
# relaying with James's own RemoteDelivery through a gateway. Both with a loopback resolver.
loopback_dns='<dnsservice><servers><server>127.0.0.1</server></servers><autodiscover>false</autodiscover><authoritative>false</authoritative><maxcachesize>50000</maxcachesize></dnsservice>'
make_confs() { # sink_port
  rm -rf "$OUT/conf-ours" "$OUT/conf-stock"
  cp -r james-conf "$OUT/conf-ours"
  echo "$loopback_dns" > "$OUT/conf-ours/dnsservice.xml"
  sed -i 's#<root level="WARN">#<root level="ERROR">#; s#level="INFO"#level="WARN"#g' "$OUT/conf-ours/logback.xml"
  # One line per SMTP connection our relay engine opens: the run counts them.
  sed -i 's#</configuration>#    <logger name="org.splitdomain.mailets.relay.RelayConnections" level="INFO"/>\n</configuration>#' "$OUT/conf-ours/logback.xml"
  cp -r "$OUT/conf-ours" "$OUT/conf-stock"
  : > "$OUT/conf-stock/extensions.properties"
  # Our health checks need our extension's modules: stock James has none of them.
  sed -i 's#^additional.healthchecks=.*##' "$OUT/conf-stock/healthcheck.properties"
  sed -i 's#^extensions.routes=.*##' "$OUT/conf-stock/webadmin.properties"
  sed -i 's#<handler class="org.splitdomain.smtp.SplitRoutingRcptHandler"/>#<handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>#; /org.splitdomain/d' "$OUT/conf-stock/smtpserver.xml"
  sed -i '/imapPackages/d' "$OUT/conf-stock/imapserver.xml"
  sed -i '/org.splitdomain/d' "$OUT/conf-stock/pop3server.xml" "$OUT/conf-stock/jmap.properties"
  python3 - "$OUT/conf-stock/mailetcontainer.xml" "$1" <<'PY'
import re, sys
path, sink = sys.argv[1], sys.argv[2]
s = open(path).read()
# Drop our matchers and processor; send the benchmark's relayed domain to RemoteDelivery with the sink as gateway.
s = re.sub(r'\s*<mailet match="org\.splitdomain[^"]*" class="ToProcessor">\s*<processor>split-domain-relay</processor>\s*</mailet>', '', s)
s = re.sub(r'\s*<processor state="split-domain-relay".*?</processor>', '', s, flags=re.S)
s = s.replace('<mailet match="All" class="RecipientRewriteTable">',
  '<mailet match="HostIs=relayed.example" class="ToProcessor"><processor>gateway-relay</processor></mailet>\n'
  '            <mailet match="All" class="RecipientRewriteTable">', 1)
s = s.replace('</processors>', '''    <processor state="gateway-relay">
            <mailet match="All" class="RemoteDelivery">
                <outgoing>gateway-relay</outgoing>
                <gateway>127.0.0.1:%s</gateway>
                <loadBalancing>false</loadBalancing>
                <delayTime>1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours</delayTime>
                <maxRetries>5</maxRetries>
                <sendpartial>true</sendpartial>
                <bounceProcessor>bounces</bounceProcessor>
            </mailet>
        </processor>
    </processors>''' % sink)
open(path, 'w').write(s)
PY
}

send_load() { # port recipient
  "$SMTP_SOURCE" -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f sender@external.org -t "$2" "127.0.0.1:$1"
}
wait_spool_empty() { # webadmin_port
  local deadline=$((SECONDS + 600))
  until spool_empty "$1"; do [ $SECONDS -ge $deadline ] && { log "timeout: spool not empty"; return 1; }; sleep 0.1; done
}
# Every server takes the same load once before the timed one: a cold JVM spends a third of a
# 5,000-message run compiling the mail path (C1/C2 threads in JFR), which is not what a James in
# production pays. The sink's counter goes on, so the timed load ends at twice the count.
warm_relay() { # smtp_port sink_log
  send_load "$1" bob@relayed.example; wait_for_count "$2" "$MESSAGES" 600
}
timed_relay() { # smtp_port sink_log -> prints msg/s of the load after warm_relay's
  local t0 t1
  t0=$(now); send_load "$1" bob@relayed.example; wait_for_count "$2" $((2 * MESSAGES)) 600; t1=$(now)
  rate "$MESSAGES" "$t0" "$t1"
}

# --- 4. the SMTP edge (issue 21) ------------------------------------------------------------------------
free_port_on() { python3 -c "import socket; s=socket.socket(); s.bind(('$1',0)); print(s.getsockname()[1]); s.close()"; }

# Two identical slaves whose partner, on 127.0.0.2, answers every RCPT after 5 s (Postfix's smtp-sink -W: a tarpit).
# 8 attacker sessions from 127.0.0.2 guess addresses at one of them, about twice a second each; an innocent client on
# 127.0.0.1 opens its sessions at both in turn, so that both figures see the same load of this shared machine.
# Prints SmtpEdgeBenchmark's lines and how many probes reached the partner from the attacked slave.
run_edge_attack() {
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local tarpit_port quiet_smtp quiet_webadmin quiet_pid attacked_smtp attacked_webadmin name
  tarpit_port=$(free_port_on 127.0.0.2)
  "$SMTP_SINK" -u nobody -W rcpt:5 "127.0.0.2:$tarpit_port" 256 > "$OUT/tarpit.log" 2>&1 &
  PIDS+=($!)
  SINK_PID=$!
  make_confs "$(free_port)"
  for name in quiet attacked; do
    local smtp_port webadmin_port
    smtp_port=$(free_port); webadmin_port=$(free_port)
    start_james "edge-$name" "$OUT/conf-ours" "$smtp_port" "$webadmin_port"
    put "$webadmin_port" /domains/example.com
    put "$webadmin_port" /users/alice@example.com '{"password":"secret"}'
    put "$webadmin_port" /domains/example.com/split-routing "{\"relays\":[\"127.0.0.2:$tarpit_port\"],\"forwardUnknown\":true}"
    if [ "$name" = quiet ]; then
      quiet_smtp=$smtp_port; quiet_webadmin=$webadmin_port; quiet_pid=$JAMES_PID
    else
      attacked_smtp=$smtp_port; attacked_webadmin=$webadmin_port
    fi
  done
  java -cp "$BENCH_CP" org.splitdomain.benchmarks.SmtpEdgeBenchmark 127.0.0.1 "$quiet_smtp" "$attacked_smtp" alice@example.com \
    127.0.0.2 example.com 8 "$EDGE_SESSIONS"
  echo "attack_probes=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$attacked_webadmin/split-routing/metrics" \
    | awk '/^split_domain_verify_probes_total/ {n += $NF} END {print n + 0}')"
  stop_james
  kill "$quiet_pid" 2>/dev/null || true; wait "$quiet_pid" 2>/dev/null || true
  kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true
}

# james-conf with POP3 and JMAP on (their login guards are already configured there): a local user and a third-party
# user, each login kind tried $LOGIN_TRIES times per protocol. Prints LoginTimingBenchmark's lines.
run_edge_logins() {
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local smtp_port submission_port imap_port pop3_port jmap_port webadmin_port
  smtp_port=$(free_port); submission_port=$(free_port); imap_port=$(free_port); pop3_port=$(free_port); jmap_port=$(free_port)
  webadmin_port=$(free_port)
  make_confs "$(free_port)"
  sed -i 's#<pop3server enabled="false">#<pop3server enabled="true">#' "$OUT/conf-ours/pop3server.xml"
  # JMAP signs with a keystore: the throwaway one the launcher makes in conf/ for submission and IMAP.
  sed -i "s#^enabled=false#enabled=true\njmap.port=$jmap_port\ntls.keystoreURL=file://conf/keystore\ntls.secret=split-domain-keystore#" \
    "$OUT/conf-ours/jmap.properties"
  start_james edge-logins "$OUT/conf-ours" "$smtp_port" "$webadmin_port" "submission=$submission_port,imap=$imap_port,pop3=$pop3_port"
  put "$webadmin_port" /domains/example.com
  put "$webadmin_port" /users/local@example.com '{"password":"secret"}'
  put "$webadmin_port" /users/elsewhere@example.com '{"password":"secret"}'
  put "$webadmin_port" /domains/example.com/split-routing '{"relays":["127.0.0.1:2"]}'
  put "$webadmin_port" /users/elsewhere@example.com/split-routing '{"thirdParty":true}'
  java -cp "$BENCH_CP" org.splitdomain.benchmarks.LoginTimingBenchmark 127.0.0.1 "$submission_port" "$imap_port" "$pop3_port" \
    "$jmap_port" local@example.com elsewhere@example.com secret "$LOGIN_TRIES"
  stop_james
}

run_edge() {
  log "SMTP edge: an innocent client without and with the attack (a partner answering in 5 s)"; run_edge_attack > "$OUT/edge-attack.txt"
  log "SMTP edge: refused logins beside wrong passwords, $LOGIN_TRIES tries each"; run_edge_logins > "$OUT/edge-logins.txt"
}
edge_figure() { grep "^$2=" "$OUT/edge-$1.txt" | cut -d= -f2; }
edge_ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
edge_section() {
  echo "<!-- smtp-edge -->"
  echo "## The SMTP edge under attack (issue 21)"
  echo
  echo "Two identical slaves verifying recipients at a partner (Postfix's \`smtp-sink -W rcpt:5\` on 127.0.0.2) that answers every"
  echo "RCPT after 5 s. 8 attacker sessions from 127.0.0.2 send RCPTs for unknown addresses to one of them, about twice a second"
  echo "each; an innocent client on 127.0.0.1 opens $EDGE_SESSIONS sessions at each (banner, then RCPT of a local user), at both in"
  echo "turn, so that both columns share the load of this shared machine. james-conf's defaults: \`rcpt.budget\` 1 s, 30 probes a"
  echo "minute and 2 at a time per client. Target: p95 under attack at most 1.5 × without."
  echo
  echo "| innocent client | no attack | under attack | ratio |"
  echo "|---|---:|---:|---:|"
  for step in banner rcpt; do
    for q in p50 p95 max; do
      echo "| time to $step, $q | $(edge_figure attack "baseline_${step}_${q}_ms") ms | $(edge_figure attack "attack_${step}_${q}_ms") ms | $(edge_ratio "$(edge_figure attack "attack_${step}_${q}_ms")" "$(edge_figure attack "baseline_${step}_${q}_ms")") |"
    done
  done
  echo
  echo "The attackers sent $(edge_figure attack attack_rcpts) RCPTs: $(grep '^attack_reply_' "$OUT/edge-attack.txt" | sed 's/^attack_reply_//; s/_/ /g; s/=/: /' | paste -sd ';' | sed 's/;/; /g');"
  echo "$(edge_figure attack attack_probes) probes reached the partner."
  echo
  echo "Refused logins beside a wrong password of a local user: medians of $LOGIN_TRIES tries of each kind, interleaved, the"
  echo "login exchange alone timed (james-conf's users repository: PBKDF2-SHA512). Target: within 10 %."
  echo
  echo "| protocol | local user, wrong password | third-party user, wrong password | ratio | third-party user, right password | ratio |"
  echo "|---|---:|---:|---:|---:|---:|"
  for protocol in smtp imap pop3 jmap; do
    echo "| $protocol | $(edge_figure logins "${protocol}_local_wrong_median_ms") ms | $(edge_figure logins "${protocol}_third_party_wrong_median_ms") ms | $(edge_figure logins "${protocol}_third_party_wrong_ratio") | $(edge_figure logins "${protocol}_third_party_right_median_ms") ms | $(edge_figure logins "${protocol}_third_party_right_ratio") |"
  done
  echo "<!-- /smtp-edge -->"
}
write_section() { # marker section
  SECTION="$2" python3 - "$RESULTS" "$1" <<'PY'
import os, re, sys
path, marker = sys.argv[1], sys.argv[2]
text = open(path).read()
section = os.environ["SECTION"]
pattern = re.compile(r"<!-- " + marker + r" -->.*?<!-- /" + marker + r" -->", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
}
if $EDGE_ONLY; then
  run_edge
  write_section smtp-edge "$(edge_section)"
  log "written the SMTP edge section of $RESULTS"
  exit 0
fi

# 2a. the machine's limit: smtp-source straight into smtp-sink
SINK_PORT=$(free_port)
start_sink "$SINK_PORT" "$OUT/sink-limit.log"
sleep 0.5
t0=$(now); send_load "$SINK_PORT" bob@relayed.example; wait_for_count "$OUT/sink-limit.log" "$MESSAGES" 120; t1=$(now)
LIMIT=$(rate "$MESSAGES" "$t0" "$t1")
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true
log "limit: $LIMIT msg/s"

run_relay() { # name confdir -> prints msg/s
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local sink_port smtp_port webadmin_port
  sink_port=$(free_port); smtp_port=$(free_port); webadmin_port=$(free_port)
  make_confs "$sink_port"
  start_sink "$sink_port" "$OUT/sink-$1.log"
  start_james "$1" "$OUT/conf-$1" "$smtp_port" "$webadmin_port"
  put "$webadmin_port" /domains/relayed.example
  put "$webadmin_port" /users/bob@relayed.example '{"password":"secret"}'
  if [ "$1" = ours ]; then
    put "$webadmin_port" /domains/relayed.example/split-routing "{\"relays\":[\"127.0.0.1:$sink_port\"]}"
    put "$webadmin_port" /users/bob@relayed.example/split-routing '{"thirdParty":true}'
  fi
  local msgs c0 c1 n0 n1
  warm_relay "$smtp_port" "$OUT/sink-$1.log"
  c0=$(cpu_seconds "$JAMES_PID"); n0=$(connections_opened "$1")
  $PROFILE && jcmd "$JAMES_PID" JFR.start name=relay settings="$OUT/sampling.jfc" filename="$OUT/$1.jfr" >/dev/null
  msgs=$(timed_relay "$smtp_port" "$OUT/sink-$1.log")
  $PROFILE && jcmd "$JAMES_PID" JFR.stop name=relay >/dev/null
  c1=$(cpu_seconds "$JAMES_PID"); n1=$(connections_opened "$1")
  stop_james; kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true
  echo "$msgs $(per_message_ms "$c0" "$c1") $((n1 - n0))"
}
# SMTP connections the split-domain relay engine opened so far (its INFO line per connection; none for stock James).
connections_opened() { grep -c "Connection to relay .* opened" "$OUT/$1.log" || true; }

# The warm load, then the timed one, counted when James's spool is empty again: prints "msg/s cpu_ms".
measure_until_spool_empty() { # smtp_port webadmin_port recipient
  local t0 t1 c0 c1
  send_load "$1" "$3"; wait_spool_empty "$2"
  c0=$(cpu_seconds "$JAMES_PID")
  $PROFILE && jcmd "$JAMES_PID" JFR.start name=load settings="$OUT/sampling.jfc" filename="$OUT/${4:-load}.jfr" >/dev/null
  t0=$(now); send_load "$1" "$3"; wait_spool_empty "$2"; t1=$(now)
  $PROFILE && jcmd "$JAMES_PID" JFR.stop name=load >/dev/null
  c1=$(cpu_seconds "$JAMES_PID")
  echo "$(rate "$MESSAGES" "$t0" "$t1") $(per_message_ms "$c0" "$c1")"
}

run_local() { # name confdir -> prints msg/s, counted when James's spool is empty again
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local smtp_port webadmin_port sink_port
  sink_port=$(free_port); smtp_port=$(free_port); webadmin_port=$(free_port)
  make_confs "$sink_port"
  start_james "local-$1" "$OUT/conf-$1" "$smtp_port" "$webadmin_port"
  put "$webadmin_port" /domains/local.example
  put "$webadmin_port" /users/alice@local.example '{"password":"secret"}'
  measure_until_spool_empty "$smtp_port" "$webadmin_port" alice@local.example
  stop_james
}

# James's own intake: the same stock James whose transport drops every mail at once (Null), counted
# when its spool is empty again. No relay path through James can be faster than this.
run_intake() {
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local smtp_port webadmin_port sink_port
  sink_port=$(free_port); smtp_port=$(free_port); webadmin_port=$(free_port)
  make_confs "$sink_port"
  sed -i '0,/<processor state="transport"[^>]*>/s##&\n            <mailet match="All" class="Null"/>#' "$OUT/conf-stock/mailetcontainer.xml"
  start_james intake "$OUT/conf-stock" "$smtp_port" "$webadmin_port"
  put "$webadmin_port" /domains/relayed.example
  put "$webadmin_port" /users/bob@relayed.example '{"password":"secret"}'
  measure_until_spool_empty "$smtp_port" "$webadmin_port" bob@relayed.example intake
  stop_james
}

# Postfix relaying the same load to the same kind of sink: a private instance on loopback,
# configured from benchmarks/postfix/ (master.cf's first line gets the listening port).
run_postfix() {
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local sink_port smtp_port dir="$OUT/postfix"
  sink_port=$(free_port); smtp_port=$(free_port)
  mkdir -p "$dir/conf" "$dir/queue" "$dir/data"
  chown -R postfix "$dir/data"
  sed -e "s#@DIR@#$dir#g" -e "s#@SINK_PORT@#$sink_port#g" "$ROOT/benchmarks/postfix/main.cf" > "$dir/conf/main.cf"
  sed -e "s#@SMTP_PORT@#$smtp_port#g" "$ROOT/benchmarks/postfix/master.cf" > "$dir/conf/master.cf"
  start_sink "$sink_port" "$OUT/sink-postfix.log"
  POSTFIX_CONF="$dir/conf"
  postfix -c "$dir/conf" start-fg > "$OUT/postfix.log" 2>&1 &
  PIDS+=($!)
  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; do
    [ "$SECONDS" -ge "$deadline" ] && { log "postfix did not start, see $OUT/postfix.log"; exit 1; }
    sleep 0.2
  done
  local msgs
  warm_relay "$smtp_port" "$OUT/sink-postfix.log"
  msgs=$(timed_relay "$smtp_port" "$OUT/sink-postfix.log")
  postfix -c "$dir/conf" stop >/dev/null 2>&1 || true
  POSTFIX_CONF=""
  kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true
  echo "$msgs"
}

# Where the relay's CPU goes: execution samples of each James during both loads, by top frame and by our frames.
if $PROFILE; then
  # JFR's profile settings, sampling every millisecond rather than every 10: enough samples from a 5,000-mail load.
  sed 's#<setting name="period" control="method-sampling-java-interval">10 ms</setting>#<setting name="period" control="method-sampling-java-interval">1 ms</setting>#' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$OUT/sampling.jfc"
  log "profile: intake"; R=$(run_intake); log "intake: $R (msg/s cpu_ms)"
  for name in stock ours; do
    log "profile: relay $name"; R=$(run_relay "$name"); log "relay $name: $R (msg/s cpu_ms connections)"
    jfr print --stack-depth 96 --events jdk.ExecutionSample "$OUT/$name.jfr" \
      | python3 "$ROOT/benchmarks/jfr-top.py" "relay $name, $MESSAGES mails" > "$OUT/profile-$name.txt"
    log "written $OUT/profile-$name.txt"
  done
  jfr print --stack-depth 96 --events jdk.ExecutionSample "$OUT/intake.jfr" \
    | python3 "$ROOT/benchmarks/jfr-top.py" "intake, $MESSAGES mails" > "$OUT/profile-intake.txt"
  exit 0
fi

log "intake: stock James dropping every mail"; R=$(run_intake); read -r INTAKE INTAKE_CPU <<< "$R"
log "relay: Postfix"; POSTFIX_RELAY=$(run_postfix)
log "relay: stock James RemoteDelivery (gateway)"; R=$(run_relay stock); read -r STOCK_RELAY STOCK_RELAY_CPU _ <<< "$R"
log "relay: split-domain"; R=$(run_relay ours); read -r OURS_RELAY OURS_RELAY_CPU OURS_CONNECTIONS <<< "$R"
log "local delivery: stock"; R=$(run_local stock); read -r STOCK_LOCAL STOCK_LOCAL_CPU <<< "$R"
log "local delivery: split-domain"; R=$(run_local ours); read -r OURS_LOCAL OURS_LOCAL_CPU <<< "$R"

# Recipient verification: the same forward-unknown relay with verifyRecipients off, then on. Every mail goes to
# one recipient, so after the first probe every RCPT is a cache hit. Prints "intake_msg/s relay_msg/s": intake
# counts until smtp-source has handed over every mail, relay until the sink has them all.
run_verify() { # verifyRecipients
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local sink_port smtp_port webadmin_port t0 t1 t2
  sink_port=$(free_port); smtp_port=$(free_port); webadmin_port=$(free_port)
  make_confs "$sink_port"
  start_sink "$sink_port" "$OUT/sink-verify-$1.log"
  start_james "verify-$1" "$OUT/conf-ours" "$smtp_port" "$webadmin_port"
  put "$webadmin_port" /domains/forward.example
  put "$webadmin_port" /domains/forward.example/split-routing \
    "{\"relays\":[\"127.0.0.1:$sink_port\"],\"forwardUnknown\":true,\"verifyRecipients\":$1}"
  send_load "$smtp_port" nobody@forward.example; wait_for_count "$OUT/sink-verify-$1.log" "$MESSAGES" 600
  t0=$(now); send_load "$smtp_port" nobody@forward.example; t1=$(now)
  wait_for_count "$OUT/sink-verify-$1.log" $((2 * MESSAGES)) 600; t2=$(now)
  stop_james; kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true
  echo "$(rate "$MESSAGES" "$t0" "$t1") $(rate "$MESSAGES" "$t0" "$t2")"
}
log "recipient verification: off"; R=$(run_verify false); read -r VERIFY_OFF_INTAKE VERIFY_OFF_RELAY <<< "$R"
log "recipient verification: on (cache hits)"; R=$(run_verify true); read -r VERIFY_ON_INTAKE VERIFY_ON_RELAY <<< "$R"

# --- 3. scale of the settings ----------------------------------------------------------------------
run_settings() { # -> key=value lines of SettingsLoad
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local webadmin_port sink_port
  sink_port=$(free_port); webadmin_port=$(free_port)
  make_confs "$sink_port"
  start_james settings "$OUT/conf-ours" "$(free_port)" "$webadmin_port"
  java -cp "$BENCH_CP" org.splitdomain.benchmarks.SettingsLoad "$webadmin_port" "$SETTINGS_USERS" "$SETTINGS_CHANGES" "$TOKEN"
  stop_james
}
log "settings: $SETTINGS_USERS users through WebAdmin"; run_settings > "$OUT/settings.txt"
$PROFILE || run_store_scale
run_edge
setting() { grep "^$1=" "$OUT/settings.txt" | cut -d= -f2; }

# --- results ---------------------------------------------------------------------------------------
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
{
  echo "# Benchmark results"
  echo
  echo "Written by \`benchmarks/run.sh$($QUICK && echo ' --quick')\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)."
  echo "Absolute figures on this shared machine are noisy: read the ratios."
  echo
  echo "## Route decision (JMH, ns per recipient, mixed known/alias/third-party/unknown recipients, 10 % third-party)"
  echo
  echo "| benchmark | users | ns/op | ± | × RecipientIsLocal |"
  echo "|---|---:|---:|---:|---:|"
  python3 - "$OUT/jmh.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
base = {r['Param: users']: float(r['Score']) for r in rows if r['Benchmark'].endswith('baselineRecipientIsLocal')}
for r in rows:
    name = r['Benchmark'].rsplit('.', 1)[1]
    users = r['Param: users']
    score = float(r['Score'])
    err = r['Score Error (99.9%)']
    print(f"| {name} | {int(users):,} | {score:,.0f} | {float(err):,.0f} | {score / base[users]:.2f} |")
PY
  echo
  echo "Settings footprint (memory store): $FOOTPRINT."
  echo
  echo "## Throughput ($MESSAGES messages of $SIZE bytes, $SESSIONS parallel smtp-source sessions; a message counts when the sink has it)"
  echo
  echo "| path | msg/s | ratio | James CPU ms per message | CPU ratio |"
  echo "|---|---:|---:|---:|---:|"
  echo "| smtp-source → smtp-sink (machine limit) | $LIMIT | 1.00 × limit | | |"
  echo "| stock James taking mail in and dropping it (Null transport): the ceiling of any relay through James | $INTAKE | $(ratio "$INTAKE" "$STOCK_RELAY") × stock James relay | $INTAKE_CPU | $(ratio "$INTAKE_CPU" "$STOCK_RELAY_CPU") × stock James relay |"
  echo "| stock James, RemoteDelivery gateway → sink | $STOCK_RELAY | $(ratio "$STOCK_RELAY" "$LIMIT") × limit | $STOCK_RELAY_CPU | 1.00 |"
  echo "| Postfix 3.7, relayhost → sink | $POSTFIX_RELAY | $(ratio "$POSTFIX_RELAY" "$LIMIT") × limit | | |"
  echo "| James + split-domain, third-party relay → sink | $OURS_RELAY | $(ratio "$OURS_RELAY" "$STOCK_RELAY") × stock James, $(ratio "$OURS_RELAY" "$POSTFIX_RELAY") × Postfix, $(ratio "$OURS_RELAY" "$LIMIT") × limit | $OURS_RELAY_CPU | $(ratio "$OURS_RELAY_CPU" "$STOCK_RELAY_CPU") × stock James |"
  echo "| stock James, local delivery | $STOCK_LOCAL | | $STOCK_LOCAL_CPU | 1.00 |"
  echo "| James + split-domain, local delivery | $OURS_LOCAL | $(ratio "$OURS_LOCAL" "$STOCK_LOCAL") × stock James | $OURS_LOCAL_CPU | $(ratio "$OURS_LOCAL_CPU" "$STOCK_LOCAL_CPU") × stock James |"
  echo
  echo "SMTP connections the split-domain relay opened for the $MESSAGES timed mails: $OURS_CONNECTIONS (stock James's RemoteDelivery opens one per mail)."
  echo
  echo "## Recipient verification (RCPT of a recipient the forward-unknown rule relays)"
  echo
  echo "| benchmark | users | ns/op | ± |"
  echo "|---|---:|---:|---:|"
  python3 - "$OUT/jmh-verify.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
scores = {}
for r in rows:
    name = r['Benchmark'].rsplit('.', 1)[1]
    scores.setdefault(r['Param: users'], {})[name] = float(r['Score'])
    print(f"| {name} | {int(r['Param: users']):,} | {float(r['Score']):,.0f} | {float(r['Score Error (99.9%)']):,.0f} |")
print()
for users, s in scores.items():
    extra = s['rcptForwardUnknownVerifiedFromCache'] - s['rcptForwardUnknownWithoutVerification']
    print(f"Verification from the cache costs {extra:,.0f} ns more per RCPT at {int(users):,} users (target: within 2,000 ns).")
PY
  echo
  echo "| path ($MESSAGES messages to one forward-unknown recipient) | intake msg/s | relay msg/s | intake ratio |"
  echo "|---|---:|---:|---:|"
  echo "| verifyRecipients off | $VERIFY_OFF_INTAKE | $VERIFY_OFF_RELAY | 1.00 |"
  echo "| verifyRecipients on, every RCPT a cache hit | $VERIFY_ON_INTAKE | $VERIFY_ON_RELAY | $(ratio "$VERIFY_ON_INTAKE" "$VERIFY_OFF_INTAKE") × off (target ≥ 0.95) |"
  echo
  echo
  echo "## Scale of the settings (memory flavour, through WebAdmin only)"
  echo
  echo "| step | figure | ratio |"
  echo "|---|---:|---:|"
  echo "| James creates $(setting users) users (\`PUT /users/{user}\`, one at a time) — baseline | $(setting create_users_s) s | 1.00 |"
  echo "| \`POST /split-routing/import\` of $(setting users) user settings ($(setting import_bytes) bytes, checked in full, then written) | $(setting import_s) s | $(ratio "$(setting import_s)" "$(setting create_users_s)") × baseline |"
  echo "| one \`PUT /users/{user}/split-routing\`, median / max of $(setting changes) | $(setting change_median_ms) / $(setting change_max_ms) ms | |"
  echo "| route read right after the change already follows it | $(setting followed_at_once) / $(setting changes) | |"
  echo
  store_scale_section
  echo
  edge_section
} > "$RESULTS"
log "written $RESULTS"
cat "$RESULTS"
