#!/usr/bin/env bash
# Installs the peers that `mvn -Pbench verify -Dbench.parts=peers` can run beside FeatherGate,
# from the registries: nginx (Debian; a plain reverse proxy, the ceiling for any proxy here),
# Portkey's gateway (npm) and LiteLLM's proxy (PyPI). The Rust original is built from its own
# repository (cargo build --release) by whoever runs the benchmark, which takes the binary's path
# (-Dbench.peers.rust=...).
#
# Usage: src/test/peers/install-peers.sh [directory]   (default: ~/.cache/feathergate-peers)
# Each peer that fails to install is reported and skipped; the benchmark leaves it out.
set -u
dir="${1:-${HOME}/.cache/feathergate-peers}"
mkdir -p "$dir"
failed=0

# Portkey 1.15.2 with the Node adapter pinned: later @hono/node-server releases buffer
# streamed answers instead of passing them on as they come
PORTKEY_VERSION=1.15.2
HONO_NODE_SERVER_VERSION=1.14.1
# the newest LiteLLM whose dependencies all resolve from PyPI here
LITELLM_VERSION=1.108.7

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "== nginx (Debian)"
  if ! { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; }; then
    echo "nginx: not installed"; failed=1
  fi
  # Debian starts the service on install: the benchmark runs its own nginx, on its own port
  service nginx stop >/dev/null 2>&1 || true
fi

if [ ! -f "$dir/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  echo "== Portkey gateway ${PORTKEY_VERSION} (npm)"
  mkdir -p "$dir/portkey"
  # an override, not a second dependency: Portkey's own copy of the adapter is the one it loads
  cat > "$dir/portkey/package.json" <<JSON
{
  "private": true,
  "dependencies": { "@portkey-ai/gateway": "${PORTKEY_VERSION}" },
  "overrides": { "@hono/node-server": "${HONO_NODE_SERVER_VERSION}" }
}
JSON
  if ! (cd "$dir/portkey" && npm install --silent --no-audit --no-fund); then
    echo "Portkey: not installed"; failed=1
  fi
fi

if [ ! -x "$dir/litellm/bin/litellm" ]; then
  echo "== LiteLLM proxy ${LITELLM_VERSION} (PyPI)"
  if ! { python3 -m venv "$dir/litellm" \
      && "$dir/litellm/bin/pip" install -q "litellm[proxy]==${LITELLM_VERSION}"; }; then
    echo "LiteLLM: not installed"; failed=1
  fi
fi

echo "peers in $dir (nginx from the system)"
exit "$failed"
