# Shared helpers for scripts/run and scripts/test (sourced, not executed).
# Needs bash.  Sets ROOT (the checkout) and VENV.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LINLI_VENV:-$ROOT/.venv}"

log() { printf '\033[1m[linli]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[linli] error:\033[0m %s\n' "$*" >&2; exit 1; }

# A Python >= 3.11 to build the virtual environment with.
find_python() {
    local candidate
    for candidate in "${LINLI_PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Python 3.11 or newer is needed (set LINLI_PYTHON to its path)"
}

# Is a Debian package installed?  Without dpkg we cannot tell: say yes and let
# the run fail later with the tool's own message.
deb_installed() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ensure_system_packages PKG...: install the missing ones with apt-get when
# root, otherwise stop and say what to install.
ensure_system_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing system packages: ${missing[*]}
       install them first, e.g.: sudo apt-get install ${missing[*]}"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing system packages (${missing[*]}) and no apt-get to install them"
    log "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local apt_log
    apt_log="$(mktemp "${TMPDIR:-/tmp}/linli-apt.XXXXXX")"
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
            </dev/null >"$apt_log" 2>&1; then
        tail -n 30 "$apt_log" >&2
        die "apt-get install ${missing[*]} failed (log: $apt_log)"
    fi
    rm -f "$apt_log"
}

# ensure_venv EXTRAS: create .venv if needed and `pip install -e ".[EXTRAS]"`
# unless pyproject.toml is unchanged since the last install (stamp file).
# EXTRAS "" installs the service only; an install with extras also satisfies "".
ensure_venv() {
    # Two commands started at once in one checkout must not both run pip.
    local lock
    lock="${TMPDIR:-/tmp}/linli-install-$(printf '%s' "$VENV" | sha256sum | cut -c1-12).lock"
    local locked=0
    if command -v flock >/dev/null 2>&1 && { exec 9>>"$lock"; } 2>/dev/null; then
        flock 9 && locked=1
    fi
    _ensure_venv_locked "$@"
    [ $locked -eq 0 ] || exec 9>&-
}

_ensure_venv_locked() {
    local extras="$1" spec="." hash stamp
    [ -n "$extras" ] && spec=".[$extras]"
    # LINLI_SKIP_INSTALL=1: use the environment as it is (tests of these scripts, offline work).
    if [ "${LINLI_SKIP_INSTALL:-0}" = "1" ]; then
        [ -x "$VENV/bin/python" ] || die "LINLI_SKIP_INSTALL=1 but there is no $VENV/bin/python"
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        local py
        py="$(find_python)"
        log "creating virtual environment $VENV with $py"
        if [ -e "$VENV" ]; then
            # Only ever remove something that is a virtual environment.
            [ -f "$VENV/pyvenv.cfg" ] || die "$VENV exists but is not a virtual environment; move it away"
            log "$VENV does not work with this Python; recreating it"
            rm -rf "$VENV"
        fi
        "$py" -m venv "$VENV" || die "could not create $VENV (on Debian: apt-get install python3-venv)"
    fi
    hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    stamp="$VENV/.linli-installed-${extras:-base}"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
        return 0
    fi
    if [ -z "$extras" ] && ls "$VENV"/.linli-installed-* >/dev/null 2>&1 \
        && grep -qx "$hash" "$VENV"/.linli-installed-*; then
        return 0
    fi
    log "installing Linli and its dependencies ($spec) into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip </dev/null >/dev/null \
        || log "could not upgrade pip; going on with the one there"
    if ! (cd "$ROOT" && "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$spec" \
            </dev/null >"$VENV/.linli-pip.log" 2>&1); then
        tail -n 40 "$VENV/.linli-pip.log" >&2
        die "pip install -e '$spec' failed (full log: $VENV/.linli-pip.log)"
    fi
    echo "$hash" >"$stamp"
}

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_http URL SECONDS PID: until URL answers 200 (false at once if PID exits).
wait_for_http() {
    "$VENV/bin/python" - "$1" "$2" "$3" <<'PY'
import os, sys, time, urllib.request
url, limit, pid = sys.argv[1], time.monotonic() + float(sys.argv[2]), int(sys.argv[3])
while time.monotonic() < limit:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
PY
}

# wait_for_port PORT SECONDS: until something listens on 127.0.0.1:PORT.
wait_for_port() {
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import socket, sys, time
port, limit = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < limit:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}
