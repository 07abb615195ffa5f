#!/usr/bin/env bash
# The one test command: starts the local services, runs every test project in FerBatch.sln and the
# training smoke test, the quick throughput benchmark and the fault suite, then prints one closing line `tests: N passed, N failed, N skipped`.
# Exits non-zero when anything failed or when no test ran at all.
#
# Environment:
#   FER_SKIP_SERVICES=1   do not install/start services (you run them yourself; see docs/testing.md)
#   FER_TEST_RESULTS=DIR  where TRX files go (default: TestResults/ in the repo root, wiped each run)
#   FER_TEST_FILTER=EXPR  passed to `dotnet test --filter` (e.g. "FullyQualifiedName~ApiKey"); skips the script checks
#   FER_SKIP_FAULTS=1     do not run scripts/faults.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RESULTS_DIR="${FER_TEST_RESULTS:-$ROOT/TestResults}"
START=$SECONDS

if [[ "${FER_SKIP_SERVICES:-}" != 1 ]]; then
  bash scripts/services.sh install
  bash scripts/services.sh start
fi

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Build everything first: `dotnet test` alone builds only test projects and what they reference,
# so a host that no longer compiles would go unnoticed.
echo "== dotnet build FerBatch.sln -c Release"
build_rc=0
dotnet build FerBatch.sln -c Release -nologo || build_rc=$?

# LogFilePrefix, not LogFileName: with a fixed name every test project overwrites the same TRX file.
test_args=(FerBatch.sln -c Release --no-build
  --logger "trx;LogFilePrefix=fer"
  --logger "console;verbosity=normal"
  --results-directory "$RESULTS_DIR"
  # a hung test must fail the run with a dump, not eat the CI time limit
  --blame-hang-timeout 15m)
if [[ -n "${FER_TEST_FILTER:-}" ]]; then
  test_args+=(--filter "$FER_TEST_FILTER")
fi

dotnet_rc=0
if ((build_rc == 0)); then
  echo "== dotnet test ${test_args[*]}"
  dotnet test "${test_args[@]}" || dotnet_rc=$?
else
  echo "== build failed (exit $build_rc): tests not run" >&2
  dotnet_rc=$build_rc
fi

# Script checks beside the .NET tests; each counts as one test in the closing line.
script_results=()
failed_script_checks=()
run_script_check() {
  local name=$1; shift
  echo "== $name: $*"
  local result=passed
  "$@" || { result=failed; failed_script_checks+=("$name"); }
  echo "$name: $result"
  script_results+=("$result")
}

if [[ -z "${FER_TEST_FILTER:-}" ]]; then
  [[ -f training/smoke_test.sh ]] && run_script_check "training smoke test" bash training/smoke_test.sh
  # Compose file, Dockerfiles and Kubernetes manifests, validated offline (no Docker engine or cluster here).
  [[ -f deploy/validate.sh ]] && run_script_check "deployment validation" \
    bash -c 'bash deploy/install-validators.sh >/dev/null && bash deploy/validate.sh --strict'
  # The GPU flavour must keep building and fall back to CPU cleanly where CUDA is missing (no GPU here).
  ((build_rc == 0)) && [[ -f scripts/gpu-flavour.sh ]] && run_script_check "GPU flavour build + CPU fallback" bash scripts/gpu-flavour.sh
  # The README's `fer` tool commands: pack for this platform, install, score samples/ with the installed command.
  ((build_rc == 0)) && [[ -f scripts/tool-package.sh ]] && run_script_check "fer tool package" bash scripts/tool-package.sh
  # The quick benchmark (600 images through real worker processes, embedded, /classify) keeps bench/ from rotting;
  # its numbers go to $RESULTS_DIR/bench-quick/, never over bench/RESULTS.md.
  if ((build_rc == 0)) && [[ -f bench/run.sh ]]; then
    run_script_check "quick benchmark" env FER_SKIP_SERVICES=1 FER_BENCH_NO_BUILD=1 \
      bash bench/run.sh --quick --out "$RESULTS_DIR/bench-quick"
  fi
  # The fault suite kills hosts and stops and restarts the services, so it runs last (docs/RELIABILITY.md).
  if ((build_rc == 0)) && [[ "${FER_SKIP_FAULTS:-}" != 1 ]]; then
    run_script_check "fault suite" env FER_SKIP_SERVICES=1 FER_FAULTS_NO_BUILD=1 FER_FAULTS_OUT="$RESULTS_DIR/faults" \
      bash scripts/faults.sh
  fi
fi

# Sum the per-test outcomes over every TRX file (one per test project); name each failed test on stderr,
# so the end of a long CI log says what broke.
read -r passed failed skipped < <(python3 - "$RESULTS_DIR" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    for result in ET.parse(path).getroot().iterfind(".//t:Results/t:UnitTestResult", ns):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive", "Pending", "Disconnected"):
            skipped += 1
        else:  # Failed, Error, Timeout, Aborted, ...
            failed += 1
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            lines = [l.rstrip() for l in message.splitlines() if l.strip()][:6] or ["(no message)"]
            # Where in the test it broke: the first stack frame with a file and line ("Expected/Actual" alone
            # does not say which of a test's asserts failed).
            trace = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=ns)
            frames = [l.strip() for l in trace.splitlines() if " in " in l and ":line " in l]
            at = next((f for f in frames if "Tests.cs:line" in f), frames[0] if frames else "")
            failures.append(f"  {outcome} {result.get('testName', '?')} ({result.get('duration', '?')}): {lines[0][:300]}")
            failures.extend(f"      {l[:300]}" for l in lines[1:])
            if at:
                failures.append(f"      {at[:300]}")
if failures:
    print("failed tests:", *failures, sep="\n", file=sys.stderr)
print(passed, failed, skipped)
PY
)

if ((${#failed_script_checks[@]} > 0)); then
  echo "failed script checks:" >&2
  printf '  %s\n' "${failed_script_checks[@]}" >&2
fi

for result in "${script_results[@]}"; do
  case $result in
    passed) passed=$((passed + 1)) ;;
    failed) failed=$((failed + 1)) ;;
  esac
done

status=0
if ((dotnet_rc != 0 && failed == 0)); then
  # The build broke or a test host crashed: count the run itself as a failure so the line below is honest.
  echo "dotnet build/test exited with code $dotnet_rc without a failed test result (build error or crashed test host)" >&2
  failed=$((failed + 1))
fi
if ((failed > 0)); then
  status=1
elif ((passed == 0)); then
  echo "no test passed (none ran, or all were skipped)" >&2
  status=1
fi

echo "TRX files: $RESULTS_DIR ($((SECONDS - START))s in all)"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
