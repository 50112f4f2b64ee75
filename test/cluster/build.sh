#!/usr/bin/env bash
# Builds the cluster test tier's binaries from Go modules (module proxy only):
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl  (./go.mod)
#   kwok                                                                    (./kwok/go.mod)
# into a version-keyed cache OUTSIDE the clone (see paths.sh). Idempotent: a
# complete cache entry is reused and nothing is rebuilt. The last line printed
# is the bin dir.
#
#   bash test/cluster/build.sh        (= npm run cluster:build)
#   KUBEPLAN_CACHE_DIR=...            cache root (default ~/.cache/kubeplan)
#   FORCE=1                           rebuild even if the cache entry exists
set -euo pipefail

# shellcheck source=paths.sh
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"

log() { echo "cluster:build: $*" >&2; }

# Debian packages the harness needs at run time (openssl makes the test PKI).
need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v flock >/dev/null 2>&1 || need_apt+=(util-linux)
if ((${#need_apt[@]})); then
  log "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

complete() {
  [[ -f "$CLUSTER_BIN_DIR/.complete" ]] || return 1
  local b
  for b in "${CLUSTER_BINARIES[@]}"; do [[ -x "$CLUSTER_BIN_DIR/$b" ]] || return 1; done
  [[ -f "$CLUSTER_BIN_DIR/kwok-stages.yaml" ]]
}

if [[ -z "${FORCE:-}" ]] && complete; then
  log "cached: $CLUSTER_KEY"
  echo "$CLUSTER_BIN_DIR"
  exit 0
fi

GO="$(command -v go || true)"
[[ -n "$GO" ]] || { [[ -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go; }
[[ -n "$GO" ]] || { log "Go is required (https://go.dev/doc/install); none on PATH or at /usr/local/go/bin/go"; exit 1; }

entry="$(dirname "$CLUSTER_BIN_DIR")"
mkdir -p "$entry"
# One build at a time per cache entry (e.g. CI and a developer on one machine).
exec 9>"$entry/.lock"
flock 9
if [[ -z "${FORCE:-}" ]] && complete; then
  log "cached (built by another process): $CLUSTER_KEY"
  echo "$CLUSTER_BIN_DIR"
  exit 0
fi

tmp="$entry/bin.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false" GOTOOLCHAIN=local
# Compile on a low priority so the rest of the machine stays responsive.
NICE=(nice -n 15)
k8s_minor="${K8S_VERSION#v1.}"; k8s_minor="${k8s_minor%%.*}"
build_date="$(grep -o '"Time":"[^"]*"' "$("$GO" env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.info" 2>/dev/null | cut -d'"' -f4 || true)"
ver_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ver_flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$k8s_minor"
  ver_flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
done

start=$(date +%s)
log "building $CLUSTER_KEY with $("$GO" version) on $(nproc) cores (this takes a while cold)"
(
  cd "$CLUSTER_MOD_DIR"
  # One invocation: shared packages are compiled once for all five commands.
  "${NICE[@]}" "$GO" build -trimpath -ldflags="-s -w$ver_flags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl \
    go.etcd.io/etcd/server/v3
)
# go names the binary of go.etcd.io/etcd/server/v3 after "server".
mv "$tmp/server" "$tmp/etcd"
log "kubernetes + etcd built in $(($(date +%s) - start)) s"
(
  cd "$CLUSTER_MOD_DIR/kwok"
  "${NICE[@]}" "$GO" build -trimpath \
    -ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
    -o "$tmp/" sigs.k8s.io/kwok/cmd/kwok
)
# kwok run standalone needs its Stage objects in a config file (kwokctl embeds
# the same ones): take the "fast" node/pod stages from the module just built.
kwok_src="$(cd "$CLUSTER_MOD_DIR/kwok" && "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
{
  echo "# kwok $KWOK_VERSION default stages, from sigs.k8s.io/kwok kustomize/stage"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    echo "---"
    cat "$kwok_src/kustomize/stage/$f"
  done
} > "$tmp/kwok-stages.yaml"
for b in "${CLUSTER_BINARIES[@]}"; do [[ -x "$tmp/$b" ]] || { log "missing $b after build"; exit 1; }; done
printf '%s\n' "k8s=$K8S_VERSION" "kwok=$KWOK_VERSION" "etcd=$ETCD_VERSION" "go=$("$GO" env GOVERSION)" \
  "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)" "seconds=$(($(date +%s) - start))" > "$tmp/.complete"

rm -rf "$CLUSTER_BIN_DIR"
mv "$tmp" "$CLUSTER_BIN_DIR"
trap - EXIT
log "built $CLUSTER_KEY in $(($(date +%s) - start)) s"
echo "$CLUSTER_BIN_DIR"
