#!/bin/sh
# Makes WebAdmin's JWT key pair and an administrator token for docker-compose.yml, with openssl only:
#   sh james-conf/docker/make-webadmin-key.sh
# writes, beside this script, webadmin-jwt-public.pem (mounted into every James as conf/webadmin-jwt-public.pem),
# webadmin-jwt-private.pem (keep it; it signs tokens) and webadmin.token (what 'provision' and you send as
# "Authorization: Bearer <token>"). An existing key pair is kept: only the token is made again.
set -eu
DIR=${1:-$(dirname "$0")}
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
echo "WebAdmin key pair and token written to $(pwd): send -H \"Authorization: Bearer \$(cat $(pwd)/webadmin.token)\""
