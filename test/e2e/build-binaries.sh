#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd (Kubernetes v$K8S_VERSION), helm (v$HELM_VERSION)
# and Metacontroller ($MC_REV, tag v4.17.2) from the Go module proxy into a cache outside the
# repository, keyed by version. Skips whatever is already there. Prints the bin directory last.
# Where the proxy will not serve Metacontroller, its error is kept in
# metacontroller.unavailable beside bin/, and the suites that need it say so and skip.
set -euo pipefail
K8S_VERSION=${K8S_VERSION:-1.36.3}
MC_REV=${MC_REV:-76b818bdc67b}
HELM_VERSION=${HELM_VERSION:-3.22.0}
CACHE=${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/atlas-metacontroller-e2e}
OUT="$CACHE/k8s-$K8S_VERSION-mc-$MC_REV"
BIN="$OUT/bin"
export GOTOOLCHAIN=local CGO_ENABLED=0
mkdir -p "$BIN" "$OUT/mod"

if [ ! -x "$BIN/kube-apiserver" ] || [ ! -x "$BIN/kubectl" ] || [ ! -x "$BIN/etcd" ]; then
  MINOR=$(cut -d. -f2 <<<"$K8S_VERSION")
  STAGING="v0.${K8S_VERSION#1.}"
  cd "$OUT/mod"
  [ -f go.mod ] || go mod init local/atlas-metacontroller-e2e-bins >/dev/null 2>&1
  KMOD=$(cd /tmp && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\([^"]*\)".*/\1/p')
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging;
  # as the main module we map each to its published tag instead.
  for m in $(sed -n 's|^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/k8s\.io/.*|\1|p' "$KMOD"); do
    go mod edit "-replace=$m=$m@$STAGING"
  done
  go get "k8s.io/kubernetes@v$K8S_VERSION"
  LDF="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR"
  go build -mod=mod -trimpath -ldflags "$LDF" -o "$BIN/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  go build -mod=mod -trimpath -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
fi

if [ ! -x "$BIN/helm" ]; then
  (cd /tmp && GOBIN="$BIN" go install -trimpath -ldflags "-s -w" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION")
fi

if [ ! -x "$BIN/metacontroller" ]; then
  rm -f "$OUT/metacontroller.unavailable"
  DOWNLOAD=$(cd /tmp && go mod download -json "github.com/metacontroller/metacontroller@$MC_REV" 2>&1 || true)
  MCDIR=$(sed -n 's/^[[:space:]]*"Dir": "\([^"]*\)".*/\1/p' <<<"$DOWNLOAD")
  if [ -n "$MCDIR" ]; then
    (cd "$MCDIR" && GOFLAGS= go build -trimpath -ldflags "-s -w" -o "$BIN/metacontroller" ./pkg/cmd/metacontroller)
    cp "$MCDIR/manifests/production/metacontroller-crds-v1.yaml" "$OUT/"
  else
    sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$DOWNLOAD" | sed -E 's#https?://[^/ ]+#the module proxy#g; s/\\n\\t/ /g' > "$OUT/metacontroller.unavailable"
    echo "Metacontroller could not be fetched: $(cat "$OUT/metacontroller.unavailable")" >&2
  fi
fi
echo "$BIN"
