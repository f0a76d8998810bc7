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
#   benchmarks/run.sh           full run (about 40 minutes on 2 cores)
#   benchmarks/run.sh --quick   smoke run (about 20 minutes): fewer messages and rounds, shorter JMH, 100 K users
#   benchmarks/run.sh --relay   only the throughput comparisons and how the cost grows (about 20 minutes); rewrites
#                               those two sections of RESULTS.md alone (with --quick too: a smoke run of them)
#   benchmarks/run.sh --growth  only how the cost grows (fan-out, 1 M users; about 8 minutes); rewrites that section
#   benchmarks/run.sh --profile-relay   only the intake ceiling, stock James's relay, ours, and ours through the relay
#                                       queue alone, each recorded with JFR during one load; writes
#                                       benchmarks/target/run/profile-*.txt (samples by thread, top frames, our methods)
#                                       and their summary, the relay profile section of RESULTS.md (kept by a full run)
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
STORES_ONLY=false
EDGE_ONLY=false
RELAY_ONLY=false
GROWTH_ONLY=false
for option in "$@"; do
  case $option in
    --quick) QUICK=true ;;
    --profile-relay) PROFILE=true ;;
    --settings-stores) STORES_ONLY=true ;;
    --edge) EDGE_ONLY=true ;;
    --relay) RELAY_ONLY=true ;;
    --growth) GROWTH_ONLY=true ;;
    *) echo "unknown option $option (see the head of $0)" >&2; exit 2 ;;
  esac
done
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
# Alternating rounds of each throughput comparison; local delivery into one memory mailbox is slow, it gets fewer mails.
ROUNDS=5
LOCAL_MESSAGES=500
# James's JPA flavour takes mail in ten times slower than its memory flavour (ActiveMQ on disk): fewer mails per load.
JPA_MESSAGES=1000
# How the cost grows: recipients per load of the fan-out cells, and the users of the large split domain.
FANOUT_RECIPIENTS=5000
FANOUT_ROUNDS=3
SCALE_USERS=1000000
SCALE_LABEL=1m
if $QUICK; then
  ROUNDS=3; LOCAL_MESSAGES=100; JPA_MESSAGES=200; FANOUT_RECIPIENTS=1000; FANOUT_ROUNDS=2; SCALE_USERS=100000; SCALE_LABEL=100k
fi
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)

PIDS=()
POSTFIX_CONF=""
cleanup() {
  if [ -n "$POSTFIX_CONF" ]; then postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true; fi
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
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

free_port_on() { python3 -c "import socket; s=socket.socket(); s.bind(('$1',0)); print(s.getsockname()[1]); s.close()"; }
free_port() { free_port_on 127.0.0.1; }

# --- 1. route decision (JMH) ----------------------------------------------------------------------
if ! $PROFILE && ! $EDGE_ONLY && ! $RELAY_ONLY && ! $GROWTH_ONLY; then
  log "JMH: route decision beside RecipientIsLocal"
  # JMH keeps its lock and fork files in java.io.tmpdir: ours, not /tmp.
  JMH_TMP="$OUT/jmh-tmp"; mkdir -p "$JMH_TMP"
  java -Djava.io.tmpdir="$JMH_TMP" -cp "$BENCH_CP" org.openjdk.jmh.Main RouteDecisionBenchmark "${JMH_ARGS[@]}" \
    -jvmArgs "-Xmx6g -Djava.io.tmpdir=$JMH_TMP" \
    -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1
  FOOTPRINT=$(java -Xmx2g -cp "$BENCH_CP" org.splitdomain.benchmarks.SettingsFootprint "$FOOTPRINT_USERS")
  log "JMH: RCPT check with and without recipient verification (cache hits)"
  java -Djava.io.tmpdir="$JMH_TMP" -cp "$BENCH_CP" org.openjdk.jmh.Main RcptVerificationBenchmark "${JMH_ARGS[@]}" \
    -jvmArgs "-Xmx6g -Djava.io.tmpdir=$JMH_TMP" \
    -rf csv -rff "$OUT/jmh-verify.csv" > "$OUT/jmh-verify.log" 2>&1
fi

# --- 2. throughput: servers that stay up for the alternating rounds of a comparison ------------------------------
# A sink counting DATA commands; its counters ("sess=N quit=N mesg=N") are the last ones it printed.
start_sink() { # port logfile
  "$SMTP_SINK" -u nobody -c "127.0.0.1:$1" 1000 > "$2" 2>&1 &
  PIDS+=($!)
  SINK_PID=$!
}
sink_counter() { local n; n=$(tr '\r' '\n' < "$1" | grep -Eo "$2=[0-9]+" | tail -1 | cut -d= -f2); echo "${n:-0}"; }
sink_count() { sink_counter "$1" mesg; }
# SMTP sessions a sink was opened so far: those that ended (its counter) and those open now.
sink_sessions() { # port logfile
  echo $(( $(sink_counter "$2" sess) + $(ss -Htn state established "( sport = :$1 )" | wc -l) ))
}

wait_for_count() { # logfile expected timeout_s
  local deadline=$((SECONDS + $3))
  while [ "$(sink_count "$1")" -lt "$2" ]; do
    [ $SECONDS -ge $deadline ] && { log "timeout: $(sink_count "$1")/$2 in $1"; return 1; }
    sleep 0.1
  done
}

now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):.1f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
# CPU seconds (user + system) a process has used so far: less noisy than wall time on a shared machine.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
per_message_ms() { python3 -c "print(f'{($2-$1)*1000/$3:.3f}')"; }
load_average() { cut -d' ' -f1 /proc/loadavg; }

# James from a configuration directory, on loopback, in its own JVM (our launcher). JAMES_CP is the class path
# (stock James gets one without the extension), JAMES_ARGS more launcher options (--flavour jpa).
JAMES_CP=""
JAMES_ARGS=()
start_james() { # name confdir smtp_port webadmin_port [submission=N,imap=N,pop3=N]
  local work="$OUT/$1"
  java -Xmx3g -Dlogback.configurationFile="$2/logback.xml" -Djames.exit.on.startup.error=true \
    -cp "${JAMES_CP:-$APP_CP}" org.splitdomain.app.SplitRoutingJamesServer --conf "$2" --work "$work" "${JAMES_ARGS[@]}" \
    --ports "smtp=$3,${5:-submission=0,imap=0,pop3=0},webadmin=$4" > "$OUT/$1.log" 2>&1 &
  PIDS+=($!)
  JAMES_PID=$!
  local deadline=$((SECONDS + 180))
  # WebAdmin wants the token our launcher makes for each working directory (README, "WebAdmin authentication").
  until [ -f "$work/webadmin.token" ] && TOKEN=$(cat "$work/webadmin.token") && curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$4/domains" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && { log "James $1 did not start, see $OUT/$1.log"; exit 1; }
    kill -0 "$JAMES_PID" 2>/dev/null || { log "James $1 stopped while starting, see $OUT/$1.log"; exit 1; }
    sleep 0.5
  done
}
stop_james() { kill "$JAMES_PID" 2>/dev/null || true; wait "$JAMES_PID" 2>/dev/null || true; }

put() { curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$1$2" >/dev/null; }
spool_size() { curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$1/mailQueues/spool" | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])'; }
wait_spool_empty() { # webadmin_port token
  local deadline=$((SECONDS + 900))
  until [ "$(spool_size "$1" "$2")" = "0" ]; do [ $SECONDS -ge $deadline ] && { log "timeout: spool not empty"; return 1; }; sleep 0.1; done
}

# Configurations: ours is james-conf/ as shipped; stock is the same James without the extension, relaying with
# James's own RemoteDelivery through a gateway. Both with a loopback resolver, and logs at WARN.
loopback_dns='<dnsservice><servers><server>127.0.0.1</server></servers><autodiscover>false</autodiscover><authoritative>false</authoritative><maxcachesize>50000</maxcachesize></dnsservice>'
quiet_logs() { sed -i 's#<root level="WARN">#<root level="ERROR">#; s#level="INFO"#level="WARN"#g' "$1/logback.xml"; }
make_ours_conf() { # dir
  rm -rf "$1"
  cp -r james-conf "$1"
  echo "$loopback_dns" > "$1/dnsservice.xml"
  quiet_logs "$1"
  # One line per SMTP connection our relay engine opens: the run counts them.
  sed -i 's#</configuration>#    <logger name="org.splitdomain.mailets.relay.RelayConnections" level="INFO"/>\n</configuration>#' "$1/logback.xml"
}
# Stock James: james-conf's own files (and its flavour's), with every line that names the extension taken out or
# replaced by James's own (ValidRcptHandler for our RCPT check), and the benchmark's domain relayed by RemoteDelivery.
# It runs on a class path without the extension's jars, and the run stops if any file still names the extension.
make_stock_conf() { # dir flavour gateway_port
  rm -rf "$1" && mkdir -p "$1"
  find james-conf -maxdepth 1 -type f -exec cp {} "$1/" \;
  [ "$2" = memory ] || cp "james-conf/flavours/$2/"* "$1/"
  echo "$loopback_dns" > "$1/dnsservice.xml"
  quiet_logs "$1"
  sed -i '/org.splitdomain/d' "$1/logback.xml"
  : > "$1/extensions.properties"
  sed -i 's#^additional.healthchecks=.*##' "$1/healthcheck.properties"
  sed -i 's#^extensions.routes=.*##' "$1/webadmin.properties"
  sed -i 's#<handler class="org.splitdomain.smtp.SplitRoutingRcptHandler"/>#<handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>#; /org.splitdomain/d' "$1/smtpserver.xml"
  sed -i '/imapPackages/d' "$1/imapserver.xml"
  sed -i '/org.splitdomain/d' "$1/pop3server.xml" "$1/jmap.properties"
  python3 - "$1/mailetcontainer.xml" "$3" <<'PY'
import re, sys
path, gateway = sys.argv[1], sys.argv[2]
s = open(path).read()
# Drop our matchers and processor; send the benchmark's relayed domain to RemoteDelivery with the sink as gateway.
s = re.sub(r'\s*<mailet match="org\.splitdomain[^"]*" class="ToProcessor">\s*<processor>split-domain-relay</processor>\s*</mailet>', '', s)
s = re.sub(r'\s*<!--[^>]*-->\s*<processor state="split-domain-relay".*?</processor>', '', s, flags=re.S)
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
    </processors>''' % gateway)
open(path, 'w').write(s)
PY
  check_stock_conf "$1"
}
check_stock_conf() { # dir
  local named
  # What James reads, comments aside: a class, module, route, hook or health check of ours named anywhere.
  named=$(python3 - "$1" <<'PY'
import pathlib, re, sys
for path in sorted(pathlib.Path(sys.argv[1]).rglob('*')):
    if not path.is_file():
        continue
    text = path.read_text(errors='replace')
    text = re.sub(r'<!--.*?-->', '', text, flags=re.S)
    text = '\n'.join(line for line in text.splitlines() if not line.lstrip().startswith('#'))
    if 'org.splitdomain' in text:
        print(path.name)
PY
)
  if [ -n "$named" ]; then
    log "the stock James configuration $1 still names the extension, in: $(echo $named)"
    exit 1
  fi
}
# Stock James's class path: James and our launcher (which reads and lays out a configuration directory, nothing more),
# the JPA server of the JPA flavour (James's jpa-app, which is not published), none of the extension's jars.
stock_classpath() {
  echo "$ROOT/app/target/classes:$(tr ':' '\n' < "$OUT/app.cp" | grep -v '/split-domain-' | paste -sd:):$(tr ':' '\n' < "$OUT/app.cp" | grep '/split-domain-jpa-server-' | paste -sd:)"
}

# The servers of the comparison under way, by name: what each is, where it listens, what counts its mails.
declare -A SRV_SMTP SRV_WEBADMIN SRV_PID SRV_TOKEN SRV_SINK_LOG SRV_SINK_PORT SRV_DONE SRV_TO SRV_MESSAGES SRV_CONNLOG SRV_USERS
SET_PIDS=()
register() { # name smtp_port to messages sink_port(or -) james_pid(or -)
  SRV_SMTP[$1]=$2; SRV_TO[$1]=$3; SRV_MESSAGES[$1]=$4; SRV_SINK_PORT[$1]=$5; SRV_PID[$1]=$6
  SRV_SINK_LOG[$1]="$OUT/sink-$1.log"; SRV_DONE[$1]=0; SRV_WEBADMIN[$1]=""; SRV_TOKEN[$1]=""; SRV_CONNLOG[$1]=""; SRV_USERS[$1]=""
}

# A James of the comparison: kind intake (stock James dropping every mail: the ceiling of any relay through James),
# stock (RemoteDelivery), ours (third-party relay), local-stock or local-ours (a local mailbox).
up_james() { # name kind flavour [mailet parameters for ours]
  local name=$1 kind=$2 flavour=$3 sink_port smtp_port webadmin_port conf="$OUT/conf-$1" to=bob@relayed.example messages=$MESSAGES
  [ "$flavour" = jpa ] && messages=$JPA_MESSAGES
  sink_port=$(free_port); smtp_port=$(free_port); webadmin_port=$(free_port)
  JAMES_ARGS=(--flavour "$flavour")
  case $kind in
    ours|local-ours|verify-on|verify-off)
      JAMES_CP="$APP_CP"; make_ours_conf "$conf"
      [ -n "${4:-}" ] && sed -i "s#<maxRetries>5</maxRetries>#<maxRetries>5</maxRetries>$4#" "$conf/mailetcontainer.xml" "$conf/flavours/jpa/mailetcontainer.xml" ;;
    *)
      JAMES_CP="$STOCK_CP"; make_stock_conf "$conf" "$flavour" "$sink_port" ;;
  esac
  [ "$kind" = intake ] && sed -i '0,/<processor state="transport"[^>]*>/s##&\n            <mailet match="All" class="Null"/>#' "$conf/mailetcontainer.xml"
  case $kind in intake|local-*) sink_port=- ;; *) start_sink "$sink_port" "$OUT/sink-$name.log"; SET_PIDS+=($SINK_PID) ;; esac
  start_james "$name" "$conf" "$smtp_port" "$webadmin_port"
  SET_PIDS+=($JAMES_PID)
  [ "$kind" = ours ] || [ "$kind" = local-ours ] || [ "$kind" = verify-on ] || [ "$kind" = verify-off ] || check_stock_conf "$OUT/$name/conf"
  case $kind in
    local-*) to=alice@local.example; messages=$LOCAL_MESSAGES
      put "$webadmin_port" /domains/local.example; put "$webadmin_port" /users/alice@local.example '{"password":"secret"}' ;;
    verify-*) to=nobody@forward.example
      put "$webadmin_port" /domains/forward.example
      put "$webadmin_port" /domains/forward.example/split-routing \
        "{\"relays\":[\"127.0.0.1:$sink_port\"],\"forwardUnknown\":true,\"verifyRecipients\":$([ "$kind" = verify-on ] && echo true || echo false)}" ;;
    *)
      put "$webadmin_port" /domains/relayed.example; put "$webadmin_port" /users/bob@relayed.example '{"password":"secret"}'
      if [ "$kind" = ours ]; then
        put "$webadmin_port" /domains/relayed.example/split-routing "{\"relays\":[\"127.0.0.1:$sink_port\"]}"
        put "$webadmin_port" /users/bob@relayed.example/split-routing '{"thirdParty":true}'
      fi ;;
  esac
  register "$name" "$smtp_port" "$to" "$messages" "$sink_port" "$JAMES_PID"
  SRV_WEBADMIN[$name]=$webadmin_port; SRV_TOKEN[$name]=$TOKEN
  if [ "$kind" = verify-on ]; then
    # One mail first, alone: its RCPT probes the relay and fills the cache. Ten sessions asking at once would otherwise
    # meet the per-client limit of probes waiting at a time (450 4.7.1) while the first probe is under way.
    "$SMTP_SOURCE" -s 1 -m 1 -l "$SIZE" -f sender@external.org -t "$to" "127.0.0.1:$smtp_port"
    SRV_DONE[$name]=1
    wait_for_count "${SRV_SINK_LOG[$name]}" 1 60
  fi
  [ "$kind" = ours ] && SRV_CONNLOG[$name]="$OUT/$name.log"
  JAMES_CP=""; JAMES_ARGS=()
}

# Postfix relaying the same load to the same kind of sink: a private instance on loopback, configured from
# benchmarks/postfix/ (master.cf's first line gets the listening port).
up_postfix() { # name messages
  local name=$1 sink_port smtp_port dir="$OUT/$1"
  sink_port=$(free_port); smtp_port=$(free_port)
  mkdir -p "$dir/conf" "$dir/queue" "$dir/data"
  chown -R postfix "$dir/data"
  sed -e "s#@DIR@#$dir#g" -e "s#@SINK_PORT@#$sink_port#g" "$ROOT/benchmarks/postfix/main.cf" > "$dir/conf/main.cf"
  sed -e "s#@SMTP_PORT@#$smtp_port#g" "$ROOT/benchmarks/postfix/master.cf" > "$dir/conf/master.cf"
  start_sink "$sink_port" "$OUT/sink-$name.log"; SET_PIDS+=($SINK_PID)
  POSTFIX_CONF="$dir/conf"
  postfix -c "$dir/conf" start-fg > "$OUT/$name.log" 2>&1 &
  PIDS+=($!); SET_PIDS+=($!)
  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; do
    [ "$SECONDS" -ge "$deadline" ] && { log "postfix did not start, see $OUT/$name.log"; exit 1; }
    sleep 0.2
  done
  register "$name" "$smtp_port" bob@relayed.example "$2" "$sink_port" -
}

# smtp-source straight into smtp-sink: the machine's limit.
up_limit() { # name
  local sink_port; sink_port=$(free_port)
  start_sink "$sink_port" "$OUT/sink-$1.log"; SET_PIDS+=($SINK_PID)
  sleep 0.3
  register "$1" "$sink_port" bob@relayed.example "$MESSAGES" "$sink_port" -
}

down_set() {
  if [ -n "$POSTFIX_CONF" ]; then postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true; POSTFIX_CONF=""; fi
  for pid in "${SET_PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${SET_PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  SET_PIDS=()
}

send_load() { # port recipient messages
  "$SMTP_SOURCE" -s "$SESSIONS" -m "$3" -l "$SIZE" -f sender@external.org -t "$2" "127.0.0.1:$1"
}
connections_opened() { # James log: the INFO line of our relay engine per connection it opens
  grep -c "Connection to relay .* opened" "$1" || true
}

# One load through a server, counted when its sink has every mail (or, without a sink, when its spool is empty again).
# Sets MEASURE to "msg/s cpu_ms_per_mail smtp_connections intake_msg/s" ("-" where a figure does not apply), and for a
# James on the benchmark's PostgreSQL the database's CPU per mail after them.
measure() { # name
  local name=$1 m=${SRV_MESSAGES[$1]} t0 t1 t2 c0=- c1=- s0=0 s1=0 cpu=- conns=- d0=
  [ "${SRV_PID[$name]}" != - ] && c0=$(cpu_seconds "${SRV_PID[$name]}")
  [ -n "${SRV_USERS[$name]}" ] && d0=$(postgres_cpu_seconds)
  if [ -n "${SRV_CONNLOG[$name]}" ]; then s0=$(connections_opened "${SRV_CONNLOG[$name]}")
  elif [ "${SRV_SINK_PORT[$name]}" != - ]; then s0=$(sink_sessions "${SRV_SINK_PORT[$name]}" "${SRV_SINK_LOG[$name]}"); fi
  if [ -n "${SRV_USERS[$name]}" ]; then
    t0=$(recipient_load "${SRV_SMTP[$name]}" "$m" 1 1 "${SRV_USERS[$name]}" "${SRV_TO[$name]}" | sed -n 's/^start_epoch=//p')
  else
    t0=$(now)
    send_load "${SRV_SMTP[$name]}" "${SRV_TO[$name]}" "$m"
  fi
  t1=$(now)
  if [ "${SRV_SINK_PORT[$name]}" != - ]; then
    SRV_DONE[$name]=$(( ${SRV_DONE[$name]} + m ))
    wait_for_count "${SRV_SINK_LOG[$name]}" "${SRV_DONE[$name]}" 900
  else
    wait_spool_empty "${SRV_WEBADMIN[$name]}" "${SRV_TOKEN[$name]}"
  fi
  t2=$(now)
  if [ "${SRV_PID[$name]}" != - ]; then c1=$(cpu_seconds "${SRV_PID[$name]}"); cpu=$(per_message_ms "$c0" "$c1" "$m"); fi
  if [ -n "${SRV_CONNLOG[$name]}" ]; then conns=$(( $(connections_opened "${SRV_CONNLOG[$name]}") - s0 ))
  elif [ "${SRV_SINK_PORT[$name]}" != - ]; then conns=$(( $(sink_sessions "${SRV_SINK_PORT[$name]}" "${SRV_SINK_LOG[$name]}") - s0 )); fi
  MEASURE="$(rate "$m" "$t0" "$t2") $cpu $conns $(rate "$m" "$t0" "$t1")"
  [ -z "$d0" ] || MEASURE="$MEASURE $(per_message_ms "$d0" "$(postgres_cpu_seconds)" "$m")"
}

# The alternating rounds of one comparison: every server takes the load twice untimed (a cold JVM spends a third of a
# 5,000-mail load compiling the mail path), then each round times one load through each server in turn, so that every
# server of a round shares the same moment of this shared machine: every server's rate drifts over the rounds alike
# (the intake ceiling from about 1,100 to 2,000 msg/s, after one warm load as after two), and a ratio within a round
# holds. Appends "set round server figures" to rounds.txt.
WARM_LOADS=2
run_rounds() { # set rounds name...
  local set=$1 rounds=$2 name round warm; shift 2
  echo "$set load $(load_average)" >> "$OUT/loads.txt"
  for ((warm = 1; warm <= WARM_LOADS; warm++)); do
    for name in "$@"; do measure "$name"; log "$set: $name warm-up load $warm/$WARM_LOADS ($MEASURE)"; done
  done
  for ((round = 1; round <= rounds; round++)); do
    for name in "$@"; do
      measure "$name"
      echo "$set $round $name $MEASURE" >> "$OUT/rounds.txt"
      log "$set round $round/$rounds: $name $MEASURE (msg/s, CPU ms/mail, connections, intake msg/s)"
    done
  done
  echo "$set load-end $(load_average)" >> "$OUT/loads.txt"
}

# --- 3. how the cost grows: recipients per mail, relays, and a million users' settings ------------------------------
# One James with 20 split domains d0..d19.example, each forwarding its unknown addresses to a relay of its own (a sink
# each; verification off, as a slave that takes the mail for its master). A mail of k recipients spread over r relays
# is min(k, r) SMTP transactions; every load carries FANOUT_RECIPIENTS recipients in all.
FANOUT_RELAYS=20
up_fanout() { # name
  local name=$1 smtp_port webadmin_port conf="$OUT/conf-$1" i
  smtp_port=$(free_port); webadmin_port=$(free_port)
  make_ours_conf "$conf"
  FANOUT_PORTS=(); FANOUT_LOGS=()
  for ((i = 0; i < FANOUT_RELAYS; i++)); do
    FANOUT_PORTS+=("$(free_port)"); FANOUT_LOGS+=("$OUT/sink-$name-$i.log")
    start_sink "${FANOUT_PORTS[$i]}" "${FANOUT_LOGS[$i]}"; SET_PIDS+=($SINK_PID)
  done
  JAMES_ARGS=(--flavour memory)
  start_james "$name" "$conf" "$smtp_port" "$webadmin_port"; SET_PIDS+=($JAMES_PID)
  JAMES_ARGS=()
  for ((i = 0; i < FANOUT_RELAYS; i++)); do
    put "$webadmin_port" "/domains/d$i.example"
    put "$webadmin_port" "/domains/d$i.example/split-routing" \
      "{\"relays\":[\"127.0.0.1:${FANOUT_PORTS[$i]}\"],\"forwardUnknown\":true,\"verifyRecipients\":false}"
  done
  FANOUT_NAME=$name; FANOUT_SMTP=$smtp_port; FANOUT_PID=$JAMES_PID; FANOUT_DONE=0
}
fanout_count() { local n=0 log; for log in "${FANOUT_LOGS[@]}"; do n=$((n + $(sink_count "$log"))); done; echo "$n"; }

# RecipientLoad's mails through a server; prints its start (when the first mail left) and how many it sent.
recipient_load() { # smtp_port mails recipients relays users to
  java -cp "$BENCH_CP" org.splitdomain.benchmarks.RecipientLoad port="$1" sessions="$SESSIONS" mails="$2" recipients="$3" \
    relays="$4" users="$5" size="$SIZE" to="$6"
}

# One load of mails with k recipients over r relays: appends "fanout round kxr mails/s recipients/s CPU_us/recipient
# CPU_ms/mail transactions/mail connections" to fanout.txt.
measure_fanout() { # round k r
  local k=$2 r=$3 mails t0 t2 c0 c1 n0 n1 tx out
  mails=$(( FANOUT_RECIPIENTS / k )); [ "$mails" -lt 20 ] && mails=20
  tx=$(( k < r ? k : r ))
  c0=$(cpu_seconds "$FANOUT_PID"); n0=$(connections_opened "$OUT/$FANOUT_NAME.log")
  out=$(recipient_load "$FANOUT_SMTP" "$mails" "$k" "$r" 1 'm{mail}r{rcpt}@d{relay}.example')
  t0=$(echo "$out" | sed -n 's/^start_epoch=//p')
  FANOUT_DONE=$(( FANOUT_DONE + mails * tx ))
  local deadline=$((SECONDS + 900))
  until [ "$(fanout_count)" -ge "$FANOUT_DONE" ]; do
    [ $SECONDS -ge $deadline ] && { log "timeout: $(fanout_count)/$FANOUT_DONE transactions at the fan-out sinks"; exit 1; }
    sleep 0.1
  done
  t2=$(now)
  c1=$(cpu_seconds "$FANOUT_PID"); n1=$(connections_opened "$OUT/$FANOUT_NAME.log")
  MEASURE="$(rate "$mails" "$t0" "$t2") $(rate $((mails * k)) "$t0" "$t2") $(python3 -c "print(f'{($c1-$c0)*1e6/($mails*$k):.0f}')") $(per_message_ms "$c0" "$c1" "$mails") $tx $((n1 - n0))"
  [ "$1" = warm ] || echo "fanout $1 ${k}x$r $MEASURE" >> "$OUT/fanout.txt"
}
run_fanout() {
  log "growth: mails of 1, 10 and 100 recipients over 1, 5 and 20 relays ($FANOUT_ROUNDS alternating rounds)"
  echo "fanout load $(load_average)" >> "$OUT/loads.txt"
  up_fanout fanout
  local round k r
  for round in warm $(seq 1 "$FANOUT_ROUNDS"); do
    for k in 1 10 100; do
      for r in 1 5 20; do
        measure_fanout "$round" "$k" "$r"
        log "fanout round $round: $k recipients over $r relays: $MEASURE"
      done
    done
  done
  echo "fanout load-end $(load_average)" >> "$OUT/loads.txt"
  down_set
}

# A throwaway PostgreSQL cluster (fsync off) for the JPA James with a million users.
PG_DIR=""
start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR="$OUT/postgresql"; PG_PORT=$(free_port)
  mkdir -p "$PG_DIR"; chown postgres "$PG_DIR"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust > "$PG_DIR/initdb.log"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgresql.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
}
# CPU seconds of the PostgreSQL cluster so far: its live processes, and the backends that ended (the postmaster's
# children). The rounds run one load at a time, so a load's share is the difference.
postgres_cpu_seconds() {
  local pid total=0 postmaster
  postmaster=$(head -1 "$PG_DIR/data/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster" || true); do
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{print t + ($14 + $15 + $16 + $17) / hz}' "/proc/$pid/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}
stop_postgres() {
  [ -n "$PG_DIR" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  PG_DIR=""
}
psql_run() { # database psql-arguments...
  local database=$1; shift
  runuser -u postgres -- "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$database" -v ON_ERROR_STOP=1 -qtA "$@"
}
# James's users table, whatever case OpenJPA gave its names on PostgreSQL.
users_column() { psql_run "$1" -c "select quote_ident(column_name) from information_schema.columns where lower(table_name) = 'james_user' and lower(column_name) = '$2'"; }

# A JPA James on its own PostgreSQL database whose split domain scale.example has `users` third-party users: the users
# copied into James's users table, their settings written by SettingsAtScale as another node would. Mail goes to a
# user picked at random among them.
up_scale() { # name users
  local name=$1 users=$2 sink_port smtp_port webadmin_port conf="$OUT/conf-$1" database table
  sink_port=$(free_port); smtp_port=$(free_port); webadmin_port=$(free_port); database=${name//-/_}
  psql_run postgres -c "create database $database"
  make_ours_conf "$conf"
  start_sink "$sink_port" "$OUT/sink-$name.log"; SET_PIDS+=($SINK_PID)
  JAMES_ARGS=(--flavour jpa --database "jdbc:postgresql://127.0.0.1:$PG_PORT/$database?user=postgres")
  start_james "$name" "$conf" "$smtp_port" "$webadmin_port"; SET_PIDS+=($JAMES_PID)
  JAMES_ARGS=()
  put "$webadmin_port" /domains/scale.example
  table=$(psql_run "$database" -c "select quote_ident(table_name) from information_schema.tables where lower(table_name) = 'james_user'")
  python3 -c "
import sys
out = sys.stdout
for i in range($users):
    out.write(f'user{i}@scale.example\t0000\tSHA-512\t1\n')" \
    | psql_run "$database" -c "copy $table ($(users_column "$database" user_name), $(users_column "$database" password), $(users_column "$database" password_hash_algorithm), $(users_column "$database" version)) from stdin"
  java -Xmx3g -cp "$ROOT/benchmarks/target/classes:$APP_CP" org.splitdomain.benchmarks.SettingsAtScale "$OUT/$name/conf/james-database.properties" \
    "$users" scale.example "127.0.0.1:$sink_port" > "$OUT/settings-$name.txt"
  # The node's copy follows another node's write at its next refresh: wait until the last user is routed to the relay.
  local deadline=$((SECONDS + 300))
  until curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$webadmin_port/split-routing/route?address=user$((users - 1))@scale.example" \
      | grep -q '"route":"relay"'; do
    [ $SECONDS -ge $deadline ] && { log "$name never routed user$((users - 1))@scale.example to its relay"; exit 1; }
    sleep 1
  done
  register "$name" "$smtp_port" 'user{user}@scale.example' "$JPA_MESSAGES" "$sink_port" "$JAMES_PID"
  SRV_WEBADMIN[$name]=$webadmin_port; SRV_TOKEN[$name]=$TOKEN; SRV_CONNLOG[$name]="$OUT/$name.log"; SRV_USERS[$name]=$users
}
run_scale_users() {
  log "growth: the relay rate with $SCALE_USERS users' settings loaded beside 1,000 (JPA on PostgreSQL, $ROUNDS alternating rounds)"
  start_postgres
  up_scale users-1k 1000
  up_scale "users-$SCALE_LABEL" "$SCALE_USERS"
  run_rounds scale "$ROUNDS" users-1k "users-$SCALE_LABEL"
  down_set
  stop_postgres
}

STOCK_CP=$(stock_classpath)
# The SMTP edge's servers are ours.
make_confs() { make_ours_conf "$OUT/conf-ours"; }

# --- 4. the SMTP edge (issue 21) ------------------------------------------------------------------------

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
      echo "| time to $step, $q | $(edge_figure attack "baseline_${step}_${q}_ms") ms | $(edge_figure attack "attack_${step}_${q}_ms") ms | $(ratio "$(edge_figure attack "attack_${step}_${q}_ms")" "$(edge_figure attack "baseline_${step}_${q}_ms")") |"
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

# Where the relay's CPU goes: execution samples of the intake ceiling, stock James, ours, and ours with every mail
# through the relay queue (immediateDeliveryThreads 0), each recorded with JFR during one timed load after a warm one.
# RESULTS.md's note of where the relay's CPU goes: each James's samples by thread pool, and for ours and the intake
# ceiling the James, Jakarta Mail and split-domain methods most often on the stack.
profile_section() {
  echo "<!-- relay-profile -->"
  echo "## Where the relay's CPU goes (\`benchmarks/run.sh --profile-relay\`, $(date -u +%Y-%m-%d))"
  echo
  echo "JFR execution samples (one a millisecond) of each James during one timed load of $MESSAGES mails after a warm one,"
  echo "memory flavour; ours-queued is ours with \`immediateDeliveryThreads\` 0 (every mail through the relay queue). What ours"
  echo "spends beyond the intake ceiling is the cost of the relay stage."
  echo
  echo '```'
  python3 - "$OUT" <<'PY'
import sys
out = sys.argv[1]
for name, methods in (('intake', 12), ('stock', 8), ('ours', 30), ('ours-queued', 0)):
    lines = open(f'{out}/profile-{name}.txt').read().split('\n')
    print(lines[0])
    section = None
    shown = 0
    for line in lines[1:]:
        if line.startswith('by thread pool'):
            section, shown = 'pools', 0
        elif line.startswith('hottest top frames'):
            section = None
        elif line.startswith('James, Jakarta Mail'):
            section, shown = 'methods', 0
            if methods:
                print('  ' + line)
        elif line.strip() and section == 'pools':
            print('  ' + line)
        elif line.strip() and section == 'methods' and shown < methods:
            print('  ' + line)
            shown += 1
    print()
PY
  echo '```'
  echo "<!-- /relay-profile -->"
}
if $PROFILE; then
  # JFR's profile settings, sampling every millisecond rather than every 10: enough samples from a 5,000-mail load.
  sed 's#<setting name="period" control="method-sampling-java-interval">10 ms</setting>#<setting name="period" control="method-sampling-java-interval">1 ms</setting>#' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$OUT/sampling.jfc"
  up_james intake intake memory
  up_james stock stock memory
  up_james ours ours memory
  up_james ours-queued ours memory '<immediateDeliveryThreads>0</immediateDeliveryThreads>'
  for name in intake stock ours ours-queued; do
    measure "$name"
    jcmd "${SRV_PID[$name]}" JFR.start name=load settings="$OUT/sampling.jfc" filename="$OUT/$name.jfr" >/dev/null
    measure "$name"
    jcmd "${SRV_PID[$name]}" JFR.stop name=load >/dev/null
    log "profile $name: $MEASURE (msg/s, CPU ms/mail, connections, intake msg/s)"
    jfr print --stack-depth 96 --events jdk.ExecutionSample "$OUT/$name.jfr" \
      | python3 "$ROOT/benchmarks/jfr-top.py" "$name, $MESSAGES mails, $MEASURE (msg/s, CPU ms/mail, connections, intake msg/s)" \
      > "$OUT/profile-$name.txt"
    log "written $OUT/profile-$name.txt"
  done
  down_set
  write_section relay-profile "$(profile_section)"
  log "written the relay profile section of $RESULTS"
  exit 0
fi

# --- the throughput comparisons, each in alternating rounds -------------------------------------------------------
run_throughput() {
  : > "$OUT/rounds.txt"
  log "relay, memory flavour: the machine's limit, the intake ceiling, stock James, Postfix, ours ($ROUNDS alternating rounds)"
  up_limit limit
  up_james intake intake memory
  up_james stock stock memory
  up_postfix postfix "$MESSAGES"
  up_james ours ours memory
  run_rounds relay-memory "$ROUNDS" limit intake stock postfix ours
  down_set

  log "relay, JPA flavour (ActiveMQ queues): the intake ceiling, stock James, Postfix, ours ($ROUNDS alternating rounds)"
  up_james intake-jpa intake jpa
  up_james stock-jpa stock jpa
  up_postfix postfix-jpa "$JPA_MESSAGES"
  up_james ours-jpa ours jpa
  run_rounds relay-jpa "$ROUNDS" intake-jpa stock-jpa postfix-jpa ours-jpa
  down_set

  log "local delivery: stock James and ours ($ROUNDS alternating rounds of $LOCAL_MESSAGES mails)"
  up_james local-stock local-stock memory
  up_james local-ours local-ours memory
  run_rounds local "$ROUNDS" local-stock local-ours
  down_set

  # Every mail to one forward-unknown recipient: after the first probe, every RCPT is a cache hit.
  log "recipient verification off and on ($ROUNDS alternating rounds)"
  up_james verify-off verify-off memory
  up_james verify-on verify-on memory
  run_rounds verify "$ROUNDS" verify-off verify-on
  down_set
}
run_growth() {
  : > "$OUT/fanout.txt"
  run_fanout
  run_scale_users
}

thousands() { python3 -c "print(f'{$1:,}')"; }
figures() { python3 "$ROOT/benchmarks/rounds.py" "$@"; }
set_load() { awk -v set="$1" '$1 == set && $2 == "load" {a = $3} $1 == set && $2 == "load-end" {b = $3} END {printf "%s at the start, %s at the end", a, b}' "$OUT/loads.txt"; }
throughput_section() {
  echo "<!-- throughput -->"
  echo "## Throughput, in alternating rounds"
  echo
  echo "$MESSAGES messages of $SIZE bytes from $SESSIONS parallel smtp-source sessions per load (local delivery: $LOCAL_MESSAGES). Every"
  echo "server of a comparison is up at once and takes $WARM_LOADS untimed loads; then each of $ROUNDS rounds times one load through"
  echo "each server in turn, so that the servers of a round share the same moment of this shared machine. A ratio is taken"
  echo "within each round; the tables give the median and, in brackets, the range over the rounds. A relayed mail counts"
  echo "when the sink has it; the intake ceiling (stock James whose \`transport\` drops every mail at once: \`Null\`) and"
  echo "local delivery count when James's spool is empty again. James's CPU is that of its JVM during the load (user +"
  echo "system). Stock James runs on a class path without the extension, from james-conf's files with every line that"
  echo "names the extension taken out (the run stops if one is left)."
  echo
  echo "### Relay, memory flavour (load average $(set_load relay-memory))"
  echo
  echo "| path | msg/s | James CPU ms per mail | SMTP connections to the sink per load |"
  echo "|---|---:|---:|---:|"
  figures servers "$OUT/rounds.txt" relay-memory 'smtp-source → smtp-sink (the machine'"'"'s limit)|limit' \
    'stock James taking mail in and dropping it: the intake ceiling|intake' 'stock James, RemoteDelivery gateway → sink|stock' \
    'Postfix 3.7, relayhost → sink|postfix' 'James + split-domain, third-party relay → sink|ours'
  echo
  echo "| ratio, per round | median [range] | target |"
  echo "|---|---:|---|"
  figures ratios "$OUT/rounds.txt" relay-memory 'ours ÷ intake ceiling, msg/s|ours|intake|rate|>=0.9' \
    'ours ÷ stock James RemoteDelivery, msg/s|ours|stock|rate|>=1.5' 'ours ÷ Postfix, msg/s|ours|postfix|rate|>=1.5' \
    'ours ÷ intake ceiling, James CPU per mail|ours|intake|cpu|' 'ours ÷ stock James, James CPU per mail|ours|stock|cpu|' \
    'stock James ÷ intake ceiling, msg/s|stock|intake|rate|'
  echo
  echo "### Relay, JPA flavour: ActiveMQ queues, persistent (load average $(set_load relay-jpa))"
  echo
  echo "$JPA_MESSAGES messages per load (James's JPA flavour takes mail in about ten times slower than its memory flavour)."
  echo
  echo "| path | msg/s | James CPU ms per mail | SMTP connections to the sink per load |"
  echo "|---|---:|---:|---:|"
  figures servers "$OUT/rounds.txt" relay-jpa 'stock James (JPA) taking mail in and dropping it: the intake ceiling|intake-jpa' \
    'stock James (JPA), RemoteDelivery gateway → sink|stock-jpa' 'Postfix 3.7, relayhost → sink|postfix-jpa' \
    'James (JPA) + split-domain, third-party relay → sink|ours-jpa'
  echo
  echo "| ratio, per round | median [range] | target |"
  echo "|---|---:|---|"
  figures ratios "$OUT/rounds.txt" relay-jpa 'ours ÷ intake ceiling, msg/s|ours-jpa|intake-jpa|rate|>=0.9' \
    'ours ÷ stock James RemoteDelivery, msg/s|ours-jpa|stock-jpa|rate|>=1.5' 'ours ÷ Postfix, msg/s|ours-jpa|postfix-jpa|rate|>=1.5' \
    'ours ÷ intake ceiling, James CPU per mail|ours-jpa|intake-jpa|cpu|' 'ours ÷ stock James, James CPU per mail|ours-jpa|stock-jpa|cpu|'
  echo
  echo "### Local delivery, memory flavour (load average $(set_load local))"
  echo
  echo "| path | msg/s | James CPU ms per mail | |"
  echo "|---|---:|---:|---:|"
  figures servers "$OUT/rounds.txt" local 'stock James, local delivery|local-stock' 'James + split-domain, local delivery|local-ours'
  echo
  echo "| ratio, per round | median [range] | target |"
  echo "|---|---:|---|"
  figures ratios "$OUT/rounds.txt" local 'ours ÷ stock James, msg/s|local-ours|local-stock|rate|' \
    'ours ÷ stock James, James CPU per mail|local-ours|local-stock|cpu|'
  echo
  echo "### Recipient verification, every RCPT a cache hit (load average $(set_load verify))"
  echo
  echo "$MESSAGES messages to one recipient of a domain that forwards its unknown addresses, \`verifyRecipients\` off and on."
  echo
  echo "| ratio, per round | median [range] | target |"
  echo "|---|---:|---|"
  figures ratios "$OUT/rounds.txt" verify 'on ÷ off, intake msg/s (until smtp-source has handed over every mail)|verify-on|verify-off|intake|>=0.95' \
    'on ÷ off, relay msg/s (until the sink has every mail)|verify-on|verify-off|rate|'
  echo "<!-- /throughput -->"
}
growth_section() {
  echo "<!-- growth -->"
  echo "## How the cost grows"
  echo
  echo "### Recipients per mail and relays (load average $(set_load fanout))"
  echo
  echo "One James with 20 split domains, each forwarding its unknown addresses to a sink of its own; every load carries"
  echo "$FANOUT_RECIPIENTS recipients, as mails of 1, 10 or 100 recipients spread over 1, 5 or 20 of those relays (a mail"
  echo "is one SMTP transaction per relay), from $SESSIONS sessions of \`RecipientLoad\`; each cell is timed once per round, in"
  echo "$FANOUT_ROUNDS alternating rounds, until the sinks have every transaction. Median [range]. Target: the CPU per"
  echo "recipient stays flat."
  echo
  echo "| recipients per mail | relays | mails/s | recipients/s | James CPU µs per recipient | James CPU ms per mail | SMTP transactions per mail | SMTP connections opened |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  figures fanout "$OUT/fanout.txt"
  echo
  echo "### $(thousands "$SCALE_USERS") users' settings loaded (load average $(set_load scale))"
  echo
  echo "Two JPA James on one PostgreSQL (\`--flavour jpa --database\`, fsync off), with $(thousands "$SCALE_USERS") and with 1,000 third-party"
  echo "users in James's users table and in the settings (written by \`SettingsAtScale\` as another node would, in"
  echo "$(sed -n 's/^store_s=//p' "$OUT/settings-users-$SCALE_LABEL.txt") s); each mail goes to one of them picked at random. $JPA_MESSAGES mails per load, $ROUNDS alternating rounds."
  echo
  echo "| James | msg/s | James CPU ms per mail | SMTP connections to the sink per load | PostgreSQL CPU ms per mail |"
  echo "|---|---:|---:|---:|---:|"
  figures servers "$OUT/rounds.txt" scale '1,000 users|users-1k' "$(thousands "$SCALE_USERS") users|users-$SCALE_LABEL"
  echo
  echo "| ratio, per round | median [range] | target |"
  echo "|---|---:|---|"
  figures ratios "$OUT/rounds.txt" scale "$(thousands "$SCALE_USERS") ÷ 1,000 users, msg/s|users-$SCALE_LABEL|users-1k|rate|>=0.9" \
    "$(thousands "$SCALE_USERS") ÷ 1,000 users, James CPU per mail|users-$SCALE_LABEL|users-1k|cpu|<=1.1" \
    "$(thousands "$SCALE_USERS") ÷ 1,000 users, PostgreSQL CPU per mail|users-$SCALE_LABEL|users-1k|database|"
  echo "<!-- /growth -->"
}

if $GROWTH_ONLY; then
  run_growth
  write_section growth "$(growth_section)"
  log "written the growth section of $RESULTS"
  exit 0
fi
if $RELAY_ONLY; then
  run_throughput
  run_growth
  write_section throughput "$(throughput_section)"
  write_section growth "$(growth_section)"
  log "written the throughput and growth sections of $RESULTS"
  exit 0
fi

run_throughput
run_growth

# --- 4. scale of the settings ----------------------------------------------------------------------
run_settings() { # -> key=value lines of SettingsLoad
  trap cleanup EXIT  # runs in a subshell: stop what it starts, even on failure
  local webadmin_port
  webadmin_port=$(free_port)
  make_ours_conf "$OUT/conf-settings"
  start_james settings "$OUT/conf-settings" "$(free_port)" "$webadmin_port"
  java -cp "$BENCH_CP" org.splitdomain.benchmarks.SettingsLoad "$webadmin_port" "$SETTINGS_USERS" "$SETTINGS_CHANGES" "$TOKEN"
  stop_james
}
log "settings: $SETTINGS_USERS users through WebAdmin"; run_settings > "$OUT/settings.txt"
run_store_scale
run_edge
setting() { grep "^$1=" "$OUT/settings.txt" | cut -d= -f2; }

# --- results ---------------------------------------------------------------------------------------
# The relay profile is --profile-relay's: kept as it is.
PROFILE_SECTION=$(sed -n '/<!-- relay-profile -->/,/<!-- \/relay-profile -->/p' "$RESULTS" 2>/dev/null || true)
{
  echo "# Benchmark results"
  echo
  echo "Written by \`benchmarks/run.sh$($QUICK && echo ' --quick')\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); load average $LOAD_AT_START when it began."
  echo "Absolute figures on this shared machine are noisy: read the ratios, taken within each round."
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
  throughput_section
  echo
  growth_section
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
  echo "The same check in full servers: see \"Recipient verification, every RCPT a cache hit\" above."
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
  [ -z "$PROFILE_SECTION" ] || printf '\n%s\n' "$PROFILE_SECTION"
} > "$RESULTS"
log "written $RESULTS"
cat "$RESULTS"

