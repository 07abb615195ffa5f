#!/usr/bin/env bash
# The README's `fer` tool commands, as a user runs them: pack src/Fer.Cli for this platform, install the package into a
# scratch tool path, and classify samples/ with the installed `fer` from another folder (the models travel inside).
# Works in a scratch copy of src/ and models/, so the build's own obj/ and bin/ are left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
work=$(mktemp -d /tmp/fer-tool-package.XXXXXX)
trap 'rm -rf "$work"' EXIT

cp Directory.Build.* Directory.Packages.props "$work/"   # every Directory.Build.* file, so a new one is not forgotten here
tar --exclude='*/bin' --exclude='*/obj' -cf - src models | tar -C "$work" -xf -
echo "[tool] dotnet pack src/Fer.Cli -c Release -p:RuntimeIdentifiers=linux-x64 (in $work)"
dotnet pack "$work/src/Fer.Cli/Fer.Cli.csproj" -c Release -o "$work/nupkg" -p:RuntimeIdentifiers=linux-x64 -nologo -v quiet
ls -l "$work/nupkg"
dotnet tool install --tool-path "$work/tools" FerBatch.Cli --add-source "$work/nupkg"
out=$(cd "$work" && "$work/tools/fer" run "$ROOT/samples" --db "$work/results.db" 2>&1)
line=$(grep -a -m1 '^samples:' <<<"$out" || true)
if [[ $line == "samples: 42 images, 42 scored, 0 failed, 0 pending" ]]; then
  echo "[tool] PASS: the installed fer scored samples/: $line"
else
  echo "[tool] FAIL: expected 42 scored from the installed fer, got:" >&2
  tail -n 20 <<<"$out" >&2
  exit 1
fi
