#!/usr/bin/env bash
# Proves the validators catch what they claim to: each case copies the deployment files to a
# scratch folder, breaks one thing, and expects validation to fail with the matching message.
# The last case runs the whole deploy/validate.sh on an intact copy and expects success.
#   deploy/test-validators.sh      (after deploy/install-validators.sh)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
repo="$PWD"
passed=0
failed=0

fresh_copy() {  # a scratch repo with only what the validators read
  local dir
  dir="$(mktemp -d)"
  cp Dockerfile docker-compose.yml .dockerignore Directory.Build.props Directory.Packages.props "$dir/"
  mkdir -p "$dir/deploy"
  (cd deploy && find . -path ./tools/node_modules -prune -o -path './.tools' -prune -o -type f -print) | while read -r f; do
    mkdir -p "$dir/deploy/$(dirname "$f")" && cp "deploy/$f" "$dir/deploy/$f"
  done
  [[ -d deploy/tools/node_modules ]] && ln -s "$repo/deploy/tools/node_modules" "$dir/deploy/tools/node_modules"
  [[ -d deploy/.tools ]] && ln -s "$repo/deploy/.tools" "$dir/deploy/.tools"
  find src -name '*.csproj' | while read -r f; do
    mkdir -p "$dir/$(dirname "$f")" && cp "$f" "$dir/$f"
  done
  echo "$dir"
}

expect() {  # expect NAME EXPECTED_RC GREP_PATTERN VALIDATOR_COMMAND MUTATION
  local name="$1" want_rc="$2" pattern="$3" validator="$4" mutation="$5" dir out rc
  dir="$(fresh_copy)"
  (cd "$dir" && eval "$mutation")
  out="$(cd "$dir" && eval "$validator" 2>&1)"; rc=$?
  if [[ "$rc" == "$want_rc" ]] && grep -qE -- "$pattern" <<<"$out"; then
    echo "ok   $name"; passed=$((passed + 1))
  else
    echo "FAIL $name (exit $rc, wanted $want_rc and /$pattern/)"; echo "$out" | tail -5 | sed 's/^/     /'
    failed=$((failed + 1))
  fi
  rm -rf "$dir"
}

conventions="python3 deploy/validate_conventions.py ."
schemas='kubectl kustomize deploy/k8s | python3 -c "import sys,yaml,json; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], open(\"r.json\",\"w\"))" && node deploy/tools/check-k8s-schemas.mjs r.json'

expect "readiness probe on the wrong path" 1 "readinessProbe of worker must be httpGet /readyz" "$conventions" \
  "sed -i '0,/path: \/readyz/s//path: \/health/' deploy/k8s/worker-deployment.yaml"
expect "undocumented configuration key in the ConfigMap" 1 "key 'Fer__Worker__Messagelimit' is not a documented" "$conventions" \
  "sed -i 's/Fer__Worker__MessageLimit:/Fer__Worker__Messagelimit:/' deploy/k8s/configmap.yaml"
expect "manifest missing from kustomization.yaml" 1 "worker-pdb.yaml is not listed" "$conventions" \
  "sed -i '/- worker-pdb.yaml/d' deploy/k8s/kustomization.yaml"
expect "KEDA trigger on another queue" 1 "queueName must be 'score-image-batch'" "$conventions" \
  "sed -i 's/queueName: score-image-batch/queueName: fer-worker/' deploy/k8s/worker-scaledobject.yaml"
expect "GPU worker without a GPU limit" 1 "GPU worker must limit nvidia.com/gpu: 1" "$conventions" \
  "sed -i '/nvidia.com\/gpu: 1/d' deploy/k8s/worker-gpu-deployment.yaml"
expect "compose worker pinned to a container name" 1 "container_name prevents --scale" "$conventions" \
  "sed -i 's/^    image: ferbatch\/worker:dev/    image: ferbatch\/worker:dev\n    container_name: fer-worker/' docker-compose.yml"
expect "compose env typo" 1 "env 'ConnectionStrings__Rabbitmq' is not a documented" "$conventions" \
  "sed -i 's/ConnectionStrings__RabbitMq:/ConnectionStrings__Rabbitmq:/' docker-compose.yml"
expect "Dockerfile restore layer misses a referenced project" 1 "worker image .*Fer.Data.csproj \(referenced by src/Fer.Worker/Fer.Worker.csproj\) is not copied" "$conventions" \
  "sed -i 's|^COPY --parents src/\*/\*.csproj ./|COPY --parents src/Fer.Worker/*.csproj src/Fer.Pipeline/*.csproj ./|' Dockerfile"
expect "GPU image restores without FerGpu" 1 "worker-gpu image .*dotnet restore. must pass -p:FerGpu=true" "$conventions" \
  "sed -i 's/^\(RUN dotnet restore .*\) -p:FerGpu=\$FER_GPU$/\1/' Dockerfile"
expect "image runs as root" 1 "reports image .*must switch to a non-root USER" "$conventions" \
  "sed -i 's/^USER .*/USER root/' Dockerfile"
expect "reports image built with the classifying flavour" 1 "reports image .*carries models it does not use" "$conventions" \
  "sed -i '/FLAVOUR: plain/d' docker-compose.yml"
expect "real-looking storage key" 1 "storage key other than Azurite" "$conventions" \
  "sed -i 's|AccountKey=Eby8[^;]*;|AccountKey=c2VjcmV0LWtleQ==;|' deploy/k8s/secret.yaml"
expect "unknown field in a Deployment (schema)" 1 "'\"replica\"' does not exist" "$schemas" \
  "sed -i '0,/^  replicas: 1/s//  replica: 1/' deploy/k8s/ingest-deployment.yaml"
expect "wrong type in a Service (schema)" 1 "port must be integer" "$schemas" \
  "sed -i 's/      port: 80/      port: \"80\"/' deploy/k8s/ingest-service.yaml"
expect "compose file that does not parse as compose" 1 "FAILED: docker-compose config" "deploy/validate.sh" \
  "sed -i 's/^  postgres:/  postgres:\n    restart: sometimes-maybe/' docker-compose.yml"
expect "intact copy passes every validator" 0 "validators run: [0-9]+, failed: 0" "deploy/validate.sh" ":"

echo "$passed passed, $failed failed"
(( failed == 0 ))
