#!/usr/bin/env bash
# Runs the three outside scanners against a local copy of the site and prints their summaries:
# schemathesis (the JSON API, from its OpenAPI document), wapiti (all modules, anonymous and
# logged in as demo_member) and sqlmap (crawled parameters and every form, anonymous and
# logged in). Not part of `make test` or CI: it takes one to two hours on a 2-core machine.
#
#   make security-scan            # or: bash security/scan.sh
#
# The scanners live in their own virtualenvs (SCANNERS, default /tmp/boundaries-scanners),
# never in the project's. Each run serves a fresh SQLite database seeded with the demo on
# 127.0.0.1:$PORT, with the rate limits off (security/scan_app.py). Full reports stay in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
FLASK=${FLASK:-.venv/bin/flask}
SCANNERS=${SCANNERS:-/tmp/boundaries-scanners}
OUT=${OUT:-/tmp/boundaries-scan}
PORT=${PORT:-5077}
BASE=http://127.0.0.1:$PORT
EXAMPLES=${EXAMPLES:-100}          # schemathesis examples per operation
API_SECONDS=${API_SECONDS:-300}    # schemathesis time budget
WAPITI_SECONDS=${WAPITI_SECONDS:-900}
SQLMAP_SECONDS=${SQLMAP_SECONDS:-1500}
MEMBER=(demo_member demo-member-2024)

mkdir -p "$OUT"
# wapiti pins older httpx and hypothesis than schemathesis 4 needs: one virtualenv each.
[ -x "$SCANNERS/web/bin/wapiti" ] || {
  python3 -m venv "$SCANNERS/web" && "$SCANNERS/web/bin/pip" install -q sqlmap wapiti3; }
[ -x "$SCANNERS/api/bin/st" ] || {
  python3 -m venv "$SCANNERS/api" && "$SCANNERS/api/bin/pip" install -q schemathesis; }

export DATABASE_URL=sqlite:///$OUT/scan.db SCHEMATHESIS_TELEMETRY=false
rm -f "$OUT"/scan.db*
$FLASK --app app db upgrade >/dev/null 2>&1
$FLASK --app app seed-demo >/dev/null
$FLASK --app security.scan_app:app run --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "$BASE/" && break; sleep 0.2; done

session() { "$PYTHON" security/session.py "$BASE" "$@"; }  # prints the cookie, then the token

echo "== schemathesis: every operation of $BASE/api/v1/openapi.json, all checks"
{ read -r COOKIE; read -r TOKEN; } < <(session)
"$SCANNERS/api/bin/st" run "$BASE/api/v1/openapi.json" --checks all --max-examples "$EXAMPLES" \
  --max-time "$API_SECONDS" --continue-on-failure --no-color --generation-database none \
  -H "Cookie: $COOKIE" -H "X-CSRFToken: $TOKEN" >"$OUT/schemathesis.txt" 2>&1 || true
sed -n '/^=* SUMMARY/,$p' "$OUT/schemathesis.txt" | grep -E "^(  [❌✅⏭]|  Tested|  [0-9]+ generated|=)" || true

wapiti() {
  local name=$1; shift
  "$SCANNERS/web/bin/wapiti" -u "$BASE/" -m all --flush-session --max-scan-time "$WAPITI_SECONDS" \
    --max-attack-time 120 -x "$BASE/account/logout" -x "$BASE/account/delete" \
    -x "$BASE/account/password" -f txt -o "$OUT/wapiti-$name.txt" \
    --store-session "$OUT/wapiti-session" --store-config "$OUT/wapiti-config" "$@" \
    >"$OUT/wapiti-$name.log" 2>&1 || true
  echo "== wapiti ($name): findings by kind, zeros left out"
  grep -E "Crawled pages" "$OUT/wapiti-$name.txt" | sed 's/^ *//'
  grep -E " :\s+[1-9][0-9]*$" "$OUT/wapiti-$name.txt" | sed 's/^ *//' || echo "no finding"
}
wapiti anonymous
wapiti member --form-url "$BASE/account/login" --form-user "${MEMBER[0]}" \
  --form-password "${MEMBER[1]}"

sqlmap() {
  local name=$1; shift
  timeout "$SQLMAP_SECONDS" "$SCANNERS/web/bin/sqlmap" -u "$BASE/" --crawl=2 --forms --batch \
    --dbms=SQLite --level=2 --risk=2 --disable-coloring --output-dir="$OUT/sqlmap-$name" \
    --crawl-exclude='logout|/delete|/password|\.atom|/static/' "$@" \
    >"$OUT/sqlmap-$name.log" 2>&1 || true
  echo "== sqlmap ($name): $(grep -c 'does not seem to be injectable' "$OUT/sqlmap-$name.log") \
parameters tested and not injectable, $(grep -ciE 'is vulnerable|sqlmap identified the following' \
    "$OUT/sqlmap-$name.log") injectable"
}
CSRF=(--csrf-token=csrf_token --csrf-url="$BASE/account/login")
# Forms that POST carry the CSRF token; sqlmap skips a target without it, so GET forms and
# crawled links get a second pass without --csrf-token.
sqlmap anonymous-post "${CSRF[@]}"
sqlmap anonymous-get
{ read -r COOKIE; read -r TOKEN; } < <(session "${MEMBER[@]}")
sqlmap member-post --cookie="$COOKIE" --csrf-token=csrf_token --csrf-url="$BASE/account/settings"
echo "Full reports: $OUT"
