#!/usr/bin/env bash
# Validates the deployment files against their published schemas, offline once installed:
#   - every Kubernetes manifest in infra/k8s/ (kustomization.yaml aside) against the Kubernetes
#     JSON schemas of K8S_VERSION, strictly (unknown fields are errors), with kubernetes-validate
#     (PyPI), which ships the schemas inside its package: no download from GitHub at check time;
#   - docker-compose.yml and docker-compose.scaled.yml against the compose-spec JSON schema, as
#     shipped in the npm package dclint (schemas/compose.schema.json), read with the same venv's
#     PyYAML and jsonschema;
#   - infra/docker/haproxy.cfg with `haproxy -c` when haproxy is installed (skipped, and said so,
#     when it is not: Debian's `haproxy` package provides it).
# The tools go into .local/k8s-validate (a venv; git-ignored like the rest of .local), installed
# once and again only when the pinned versions below change. Exits non-zero on any error, and on
# a manifest whose kind has no schema (kubernetes-validate only warns about those).
# test/k8s/manifests.int.spec.ts runs this and adds the checks a schema cannot make.
#
#   bash scripts/validate-k8s.sh
#   K8S_DIR=/tmp/copy COMPOSE_FILES="a.yml b.yml" bash scripts/validate-k8s.sh   # other files
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

KUBERNETES_VALIDATE_VERSION=1.37.0
DCLINT_VERSION=3.1.0
K8S_VERSION=${K8S_VERSION:-1.31.0}
K8S_DIR=${K8S_DIR:-infra/k8s}
COMPOSE_FILES=${COMPOSE_FILES:-docker-compose.yml docker-compose.scaled.yml}
HAPROXY_CFG=${HAPROXY_CFG:-infra/docker/haproxy.cfg}

VENV=.local/k8s-validate
STAMP=$VENV/.installed
COMPOSE_SCHEMA=$VENV/compose-spec/dclint-$DCLINT_VERSION/compose.schema.json

log() { printf '[validate-k8s] %s\n' "$1"; }

install_tools() {
  local want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  if [[ -x $VENV/bin/kubernetes-validate && -f $STAMP && "$(cat "$STAMP")" == "$want" ]]; then
    log "kubernetes-validate $KUBERNETES_VALIDATE_VERSION already in $VENV"
  else
    log "installing $want into $VENV"
    python3 -m venv "$VENV" || { echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$want"
    echo "$want" > "$STAMP"
  fi
  if [[ ! -f $COMPOSE_SCHEMA ]]; then
    log "fetching the compose-spec schema from the npm package dclint@$DCLINT_VERSION"
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "dclint@$DCLINT_VERSION" >/dev/null)
    tar -xzf "$tmp/dclint-$DCLINT_VERSION.tgz" -C "$tmp" package/schemas/compose.schema.json
    mkdir -p "$(dirname "$COMPOSE_SCHEMA")"
    mv "$tmp/package/schemas/compose.schema.json" "$COMPOSE_SCHEMA"
    rm -rf "$tmp"
  fi
}

validate_manifests() {
  local files=() file output status
  for file in "$K8S_DIR"/*.yaml; do
    [[ $(basename "$file") == kustomization.yaml ]] || files+=("$file")
  done
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "no manifests in $K8S_DIR" >&2
    return 1
  fi
  status=0
  output=$("$VENV/bin/kubernetes-validate" --strict --kubernetes-version "$K8S_VERSION" "${files[@]}" 2>&1) || status=$?
  printf '%s\n' "$output"
  # A kind or apiVersion without a schema (a typo, a CRD) is only a warning there: an error here.
  if grep -q "Couldn't find schema" <<<"$output"; then status=1; fi
  if [[ $status -ne 0 ]]; then
    log "FAILED: Kubernetes manifests in $K8S_DIR"
    return 1
  fi
  log "ok: $(grep -c ' passed for resource ' <<<"$output") resources in ${#files[@]} files valid against Kubernetes $K8S_VERSION (strict)"
}

validate_compose() {
  # shellcheck disable=SC2086 # a list of file names
  "$VENV/bin/python" - "$COMPOSE_SCHEMA" $COMPOSE_FILES <<'PYTHON'
import json, sys
import yaml
from jsonschema import Draft7Validator

schema = json.load(open(sys.argv[1]))
validator = Draft7Validator(schema)
failed = False
for name in sys.argv[2:]:
    try:
        document = yaml.safe_load(open(name))
    except yaml.YAMLError as error:
        print(f"ERROR {name}: not YAML: {error}")
        failed = True
        continue
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = '.'.join(str(part) for part in error.absolute_path) or '(top)'
        print(f"ERROR {name}: {where}: {error.message}")
    if errors:
        failed = True
    else:
        print(f"INFO {name} passed against the compose-spec schema ({len(document.get('services', {}))} services)")
sys.exit(1 if failed else 0)
PYTHON
  log "ok: compose files valid against the compose-spec schema (dclint $DCLINT_VERSION)"
}

validate_haproxy() {
  if ! command -v haproxy >/dev/null; then
    log "skipped: haproxy is not installed, so $HAPROXY_CFG was not checked by haproxy -c (apt-get install haproxy)"
    return 0
  fi
  haproxy -c -f "$HAPROXY_CFG"
  log "ok: $HAPROXY_CFG valid for $(haproxy -v | head -1 | cut -d' ' -f1-3)"
}

install_tools
validate_manifests
validate_compose
validate_haproxy
log "all checks passed"
