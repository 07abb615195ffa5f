# Sourced by the scripts that run Release-built hosts (bench/run.sh, scripts/faults.sh, scripts/scale.sh):
#   fer_prepare NO_BUILD_VARIABLE project...
# starts the local services unless FER_SKIP_SERVICES=1, then builds each project in Release unless the variable
# named by NO_BUILD_VARIABLE is 1 (FER_BENCH_NO_BUILD, FER_FAULTS_NO_BUILD: the caller built them already).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fer_prepare() {
  local no_build_variable=$1; shift
  if [[ "${FER_SKIP_SERVICES:-}" != 1 ]]; then
    bash scripts/services.sh install
    bash scripts/services.sh start
  fi
  if [[ "${!no_build_variable:-}" != 1 ]]; then
    local project
    for project in "$@"; do
      dotnet build "$project" -c Release -nologo -v quiet
    done
  fi
}
