#!/usr/bin/env bash
# Baseline for bench/enroll.bench.ts: one RCDP enrollment done by hand with curl + openssl, the same calls the
# agent makes (hello, handshake, auth-requirements, authentication, last-messages, [csr-requirements,] cert, eoc)
# and the same result on disk (certificate, chain and key files, key 0600).
# usage: rcdp-curl.sh HOST:PORT CA_FILE SERVICE USER PASSWORD OUT_DIR [csr]
set -euo pipefail
server=$1 ca=$2 service=$3 user=$4 password=$5 out=$6 mode=${7:-server}
base="https://$server/rcdp/2.8.3"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
c() { curl -sS --fail --cacert "$ca" -b "$jar" -c "$jar" "$@"; }
check() { jq -e --arg s "$1" '.status == $s' >/dev/null <<<"$2" || { echo "unexpected reply: $2" >&2; exit 1; }; }

r=$(c "$base/hello?caller-app-description=curl"); check hello "$r"
r=$(c "$base/handshake?caller-utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"); check handshake "$r"
r=$(c -G "$base/auth-requirements" --data-urlencode "service=$service"); check auth-requirements "$r"
r=$(c -X POST "$base/authentication" --data-urlencode "service=$service" --data-urlencode "caller-hw-description=bench" \
  --data-urlencode "USERID=$user" --data-urlencode "PASSWD=$password")
jq -e '."auth-status" == "OK"' >/dev/null <<<"$r" || { echo "authentication: $r" >&2; exit 1; }
r=$(c "$base/last-messages"); check last-messages "$r"
cookie=$(awk '$6 == "keytalkcookie" { print $7 }' "$jar")
pass=${cookie:0:30}
mkdir -p "$out"
if [ "$mode" = csr ]; then
  r=$(c "$base/csr-requirements"); check csr-requirements "$r"
  bits=$(jq -r '."key-size" // 2048' <<<"$r")
  subj="/CN=$(jq -r '.subject.cn // "bench"' <<<"$r")"
  (umask 077; openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out "$out/key.pem" 2>/dev/null)
  openssl req -new -key "$out/key.pem" -subj "$subj" -sha256 -out "$out/req.csr"
  r=$(c -X POST "$base/cert" --data-urlencode "csr@$out/req.csr"); check cert "$r"
  jq -r .cert <<<"$r" >"$out/all.pem"
else
  r=$(c -X POST "$base/cert" --data-urlencode "format=P12v2"); check cert "$r"
  jq -r .cert <<<"$r" | base64 -d >"$out/cert.p12"
  (umask 077; openssl pkcs12 -in "$out/cert.p12" -passin "pass:$pass" -nocerts -nodes -out "$out/key.pem" 2>/dev/null)
  openssl pkcs12 -in "$out/cert.p12" -passin "pass:$pass" -nokeys -out "$out/all.pem" 2>/dev/null
fi
openssl x509 -in "$out/all.pem" -out "$out/cert.pem"
c "$base/eoc" >/dev/null
