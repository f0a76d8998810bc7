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
# Makes the keys docker-compose.yml needs, with openssl only:
#   sh james-conf/docker/make-keys.sh [DIR] [KEYSTORE] [LOOP_SECRET]
# - WebAdmin: in DIR (default: beside this script) webadmin-jwt-public.pem (mounted into every James as
#   /root/webadmin-jwt-public.pem), webadmin-jwt-private.pem (keep it; it signs tokens) and webadmin.token
#   (what 'provision' and you send as "Authorization: Bearer <token>");
# - TLS: KEYSTORE (default: james-conf/keystore, which the memory services see as conf/keystore), a self-signed
#   PKCS12 keystore for STARTTLS with the <secret> of james-conf's smtpserver.xml and imapserver.xml.
# - Loop secrets (mailetcontainer.xml's loopSecretFile, conf/split-domain-loop.secret): one per role, shared by the
#   nodes of that role. LOOP_SECRET (default: james-conf/split-domain-loop.secret) is the master's: the memory master
#   sees it in james-conf, both distributed master nodes mount it; DIR/slave-loop.secret is the slave's.
# Existing keys and secrets are kept: only the token is made again.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$HERE}
KEYSTORE=${2:-$HERE/../keystore}
LOOP_SECRET=${3:-$HERE/../split-domain-loop.secret}
SECRET=split-domain-keystore
umask 077
cd "$DIR"
if [ ! -f webadmin-jwt-private.pem ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out webadmin-jwt-private.pem 2>/dev/null
fi
openssl pkey -in webadmin-jwt-private.pem -pubout -out webadmin-jwt-public.pem
chmod 644 webadmin-jwt-public.pem

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"admin@localhost","admin":true}' | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign webadmin-jwt-private.pem -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature" > webadmin.token
echo "WebAdmin key pair and token written to $DIR: send -H \"Authorization: Bearer \$(cat $DIR/webadmin.token)\""

if [ ! -f "$KEYSTORE" ]; then
  work=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,DNS:master,DNS:slave,DNS:master-node-1,DNS:master-node-2,IP:127.0.0.1" 2>/dev/null
  openssl pkcs12 -export -in "$work/cert.pem" -inkey "$work/key.pem" -name james -passout "pass:$SECRET" -out "$KEYSTORE"
  rm -rf "$work"
  chmod 644 "$KEYSTORE"
  echo "Self-signed TLS keystore written to $KEYSTORE (put your own there in production)"
fi

for secret in "$LOOP_SECRET" "$DIR/slave-loop.secret"; do
  if [ ! -f "$secret" ]; then
    openssl rand -base64 32 > "$secret"
    chmod 644 "$secret"
    echo "Loop secret written to $secret"
  fi
done
