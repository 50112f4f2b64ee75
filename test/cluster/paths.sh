#!/usr/bin/env bash
# Computes where the cluster tier's binaries live, from the versions pinned in
# test/cluster/go.mod and test/cluster/kwok/go.mod. Sourced by build.sh; run
# directly it prints the bin dir. The TypeScript harness (harness.ts) computes
# the same path the same way.
#
#   KUBEPLAN_CACHE_DIR  default $HOME/.cache/kubeplan
#   -> $KUBEPLAN_CACHE_DIR/cluster/<k8s>-kwok-<kwok>-etcd-<etcd>/bin/

CLUSTER_MOD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

_cluster_mod_version() { # <go.mod> <module path>
  awk -v m="$2" '($1 == m || ($1 == "require" && $2 == m)) && $NF ~ /^v[0-9]/ { print $NF; exit }
                 ($1 == m || ($1 == "require" && $2 == m)) { for (i = 2; i <= NF; i++) if ($i ~ /^v[0-9]/) { print $i; exit } }' "$1"
}

K8S_VERSION="$(_cluster_mod_version "$CLUSTER_MOD_DIR/go.mod" k8s.io/kubernetes)"
ETCD_VERSION="$(_cluster_mod_version "$CLUSTER_MOD_DIR/go.mod" go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(_cluster_mod_version "$CLUSTER_MOD_DIR/kwok/go.mod" sigs.k8s.io/kwok)"

CLUSTER_CACHE_ROOT="${KUBEPLAN_CACHE_DIR:-$HOME/.cache/kubeplan}/cluster"
CLUSTER_KEY="${K8S_VERSION}-kwok-${KWOK_VERSION}-etcd-${ETCD_VERSION}"
CLUSTER_BIN_DIR="$CLUSTER_CACHE_ROOT/$CLUSTER_KEY/bin"
CLUSTER_BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "$CLUSTER_BIN_DIR"
fi
