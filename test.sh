#!/usr/bin/env bash
# The test command (README): install the system packages the test suite needs (only those missing), then run
# the .NET tests and exit with their status. Works on a clean clone, as root or with passwordless sudo,
# with no stdin (CI=true).
set -euo pipefail

# Extra arguments go to dotnet test, e.g. ./test.sh --filter FullyQualifiedName~Zarr
TEST_COMMAND=(dotnet test HotDistance.sln -c Release "$@")

# Reference tools the tests call through /usr/bin/python3 (not the first python3 on PATH, which may lack them).
PYTHON_PACKAGES=(python3 python3-zarr python3-numcodecs python3-scipy python3-skimage python3-tifffile)
PYTHON_CHECK='import zarr, numcodecs, scipy, skimage, tifffile'

cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

phase() { printf '==> %s\n' "$*"; }
fail() { printf 'ci: %s\n' "$*" >&2; exit 1; }

python_ready() { /usr/bin/python3 -c "$PYTHON_CHECK" >/dev/null 2>&1; }

phase "check: system packages"
missing=()
# The broker fixture uses HD_TEST_RABBITMQ when it is set, so the package is only needed without it.
if [[ -z "${HD_TEST_RABBITMQ:-}" && ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
    missing+=(rabbitmq-server)
fi
# The catalog tests use HD_TEST_POSTGRES when it is set, else a private cluster from the Debian package.
if [[ -z "${HD_TEST_POSTGRES:-}" ]] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    missing+=(postgresql)
fi
if ! python_ready; then
    missing+=("${PYTHON_PACKAGES[@]}")
fi
# The dashboard's browser tests drive Debian's chromium (HD_TEST_CHROMIUM names another).
if [[ -z "${HD_TEST_CHROMIUM:-}" && ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        fail "missing packages (${missing[*]}) and no root to install them: apt-get install -y ${missing[*]}"
    fi

    # Installing rabbitmq-server must not start the system service: the tests run a private broker on
    # loopback. policy-rc.d answering 101 ("action forbidden") is Debian's switch for that.
    policy=/usr/sbin/policy-rc.d
    added_policy=false
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
        "${as_root[@]}" chmod 755 "$policy"
        added_policy=true
    fi
    remove_policy() { if [[ $added_policy == true ]]; then "${as_root[@]}" rm -f "$policy"; fi; }
    trap remove_policy EXIT

    phase "install: ${missing[*]}"
    apt_quiet=(-qq -o Dpkg::Use-Pty=0)
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_quiet[@]}" update </dev/null >/dev/null
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_quiet[@]}" install -y --no-install-recommends \
        "${missing[@]}" </dev/null >/dev/null

    remove_policy
    trap - EXIT
    python_ready || fail "/usr/bin/python3 still cannot '$PYTHON_CHECK' after installing ${PYTHON_PACKAGES[*]}"
else
    phase "install: nothing missing"
fi

command -v dotnet >/dev/null || fail "the .NET SDK (see global.json) is not on PATH"

phase "test: ${TEST_COMMAND[*]}"
exec "${TEST_COMMAND[@]}" </dev/null
