#!/usr/bin/env bash
# Runs every test. Installs what is missing first (as root, from Debian and Maven Central).
# Usage: scripts/test.sh [extra maven args, e.g. -Dtest=TutoringFlowTest]
source "$(dirname "$0")/common.sh"

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need_apt+=(maven)
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3)
# the load-balancer tests run a real nginx; the partition test needs ip netns (iproute2)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need_apt+=(nginx)
# the Redis store tests start their own redis-server on a free port
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v ip >/dev/null || need_apt+=(iproute2)
command -v node >/dev/null || need_apt+=(nodejs npm)
# the browser test (BrowserChatIT) drives a headless Chromium through chromedriver
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
[[ -x /usr/bin/chromedriver ]] || need_apt+=(chromium-driver)
if (( ${#need_apt[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then echo "missing: ${need_apt[*]} (run as root to install)" >&2; exit 1; fi
  log "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

cd "$ROOT"
started=$SECONDS
log "web client libraries (npm ci, pinned by web-client/package-lock.json)"
web_client_deps
log "running the test suite"
mvn -B -ntp verify "$@"
log "web client tests (node's test runner)"
(cd "$ROOT/web-client" && npm test)
log "smoke-testing the packaged jar"
"$ROOT/scripts/smoke.sh"
log "tests finished in $((SECONDS - started)) s"
