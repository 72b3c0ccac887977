#!/usr/bin/env bash
# Runs BlazorChat's whole test suite from a fresh clone and ends with the line "N passed, N failed".
# Browser tests need Debian's Chromium and the hosting tests its nginx: they are installed with apt-get when
# missing (Playwright cannot download browsers here). Set BLAZORCHAT_CHROMIUM to use another Chromium binary.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

chromium="${BLAZORCHAT_CHROMIUM:-/usr/bin/chromium}"
packages=()
[ -x "$chromium" ] || packages+=(chromium)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || packages+=(fonts-noto-color-emoji)
# The hosting tests run Debian's nginx (not started as a service: each test starts its own on loopback).
[ -x /usr/sbin/nginx ] || packages+=(nginx)
# The PostgreSQL provider's tests run Debian's PostgreSQL the same way (initdb in a temp folder, a free loopback port).
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || packages+=(postgresql)
# The cluster tests run Debian's redis-server the same way (BlazorChat.Tests/Cluster/RedisServer.cs), never the apt service.
[ -x /usr/bin/redis-server ] || packages+=(redis-server)
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing ${packages[*]} with apt-get…"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

results="TestResults"
rm -rf "$results"
status=0
dotnet test BlazorChat.sln --configuration Release \
  --logger "trx;LogFileName=results.trx" \
  --results-directory "$results" "$@" || status=$?

# dotnet test prints no line CI can read: count the TRX files' <Counters>.
passed=0
failed=0
while IFS= read -r -d '' trx; do
  counters=$(grep -o '<Counters [^>]*' "$trx" || true)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done < <(find "$results" -name '*.trx' -print0 2>/dev/null)

if [ "$status" -eq 0 ] && [ $((passed + failed)) -eq 0 ]; then
  echo "No test ran."
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
