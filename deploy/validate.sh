#!/usr/bin/env bash
# Offline validation of FerBatch's deployment artefacts: runs every validator available on this
# machine and exits non-zero if any of them fails. Install them with deploy/install-validators.sh.
#   deploy/validate.sh            # a missing validator is reported as SKIP
#   deploy/validate.sh --strict   # a missing validator is a failure (use in CI)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

strict=0
[[ "${1:-}" == "--strict" ]] && strict=1

ran=()
skipped=()
failed=()
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() {  # step NAME COMMAND...: run one validator, record its outcome
  local name="$1"; shift
  echo "== $name"
  if "$@"; then ran+=("$name"); else failed+=("$name"); echo "!! $name failed"; fi
}
skip() {  # skip NAME WHY
  echo "== $1: SKIP ($2)"
  skipped+=("$1: $2")
}

# A python3 that can import yaml (Debian's /usr/bin/python3 with python3-yaml, or the PATH one).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import yaml' 2>/dev/null; then python="$candidate"; break; fi
done

yaml_files=(docker-compose.yml)
while IFS= read -r f; do yaml_files+=("$f"); done < <(find deploy -path deploy/tools/node_modules -prune -o \( -name '*.yaml' -o -name '*.yml' \) -print | sort)

# 1. YAML style and syntax.
if command -v yamllint >/dev/null; then
  step "yamllint (relaxed, deploy/yamllint.yaml) on ${#yaml_files[@]} files" yamllint -c deploy/yamllint.yaml -s "${yaml_files[@]}"
else
  skip yamllint "apt-get install yamllint"
fi

# 2. Compose file, with and without the gpu profile.
if command -v docker-compose >/dev/null; then
  step "docker-compose config -q" docker-compose -f docker-compose.yml config -q
  step "docker-compose --profile gpu config -q" docker-compose -f docker-compose.yml --profile gpu config -q
elif docker compose version >/dev/null 2>&1; then
  step "docker compose config -q" docker compose -f docker-compose.yml config -q
  step "docker compose --profile gpu config -q" docker compose -f docker-compose.yml --profile gpu config -q
else
  skip "compose config" "apt-get install docker-compose"
fi

# 3. Prometheus configuration.
promtool="$(command -v promtool || true)"
[[ -z "$promtool" && -x deploy/.tools/promtool ]] && promtool=deploy/.tools/promtool
if [[ -n "$promtool" ]]; then
  step "promtool check config deploy/prometheus.yml" "$promtool" check config deploy/prometheus.yml
else
  skip promtool "deploy/install-validators.sh extracts it from Debian's prometheus package"
fi

# 4. Kubernetes: render with kustomize (kubectl's built-in), then check schemas and conventions.
rendered="$work/rendered.yaml"
if command -v kubectl >/dev/null; then
  step "kubectl kustomize deploy/k8s" bash -c "kubectl kustomize deploy/k8s > '$rendered'"
elif command -v kustomize >/dev/null; then
  step "kustomize build deploy/k8s" bash -c "kustomize build deploy/k8s > '$rendered'"
else
  skip "kustomize render" "needs kubectl or kustomize"
  rendered=""
fi

if [[ -n "$python" ]]; then
  step "conventions (deploy/validate_conventions.py)" "$python" deploy/validate_conventions.py .
  if [[ -n "$rendered" && -s "$rendered" ]]; then
    "$python" -c 'import sys, yaml, json; json.dump([d for d in yaml.safe_load_all(open(sys.argv[1])) if d], open(sys.argv[2], "w"))' \
      "$rendered" "$work/rendered.json"
    if command -v node >/dev/null && [[ -d deploy/tools/node_modules/kubernetes-models ]]; then
      step "Kubernetes schemas (kubernetes-models + TypeScript unknown-field check)" node deploy/tools/check-k8s-schemas.mjs "$work/rendered.json"
    else
      skip "Kubernetes schemas" "run: npm ci --prefix deploy/tools"
    fi
  fi
else
  skip "conventions and Kubernetes schemas" "needs python3 with PyYAML (apt-get install python3-yaml)"
fi

# 5. Shell scripts in deploy/.
if command -v shellcheck >/dev/null; then
  step "shellcheck deploy/*.sh" shellcheck deploy/*.sh
else
  skip shellcheck "apt-get install shellcheck"
fi

echo
echo "validators run: ${#ran[@]}, failed: ${#failed[@]}, skipped: ${#skipped[@]}"
for s in "${skipped[@]}"; do echo "  skipped: $s"; done
for f in "${failed[@]}"; do echo "  FAILED: $f"; done
if (( ${#failed[@]} )); then exit 1; fi
if (( strict && ${#skipped[@]} )); then echo "--strict: a validator was missing"; exit 1; fi
exit 0
