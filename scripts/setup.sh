#!/usr/bin/env bash
# Set up what building a VotePact site needs: the system libraries WeasyPrint draws PDFs with,
# and the Python packages in .venv/. Safe to run again: each step is skipped when done.
#
#   Debian, Ubuntu: installs what is missing with apt-get (through sudo when not root).
#   macOS, Windows and other systems: says exactly what to run, then goes on (the site
#   builds without PDFs until then, and the build says so).
#
# --system-only: install the system libraries, leave .venv/ alone.
set -euo pipefail
cd "$(dirname "$0")/.."

PANGO_HELP="https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"

system_libraries() {
  case "$(uname -s)" in
    Linux)
      if command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
        local missing=()
        for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
          dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
        done
        python3 -c "import ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
        if [ ${#missing[@]} -gt 0 ]; then
          local sudo=()
          [ "$(id -u)" = 0 ] || sudo=(sudo)
          echo "Installing with apt-get: ${missing[*]}"
          "${sudo[@]}" apt-get update -qq
          DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
        fi
      else
        echo "For PDFs, install Pango 1.44 or later with your system's package manager" \
             "(Fedora: sudo dnf install pango; Arch: sudo pacman -S pango; see $PANGO_HELP)."
      fi
      ;;
    Darwin)
      if ! { command -v brew >/dev/null && brew list pango >/dev/null 2>&1; }; then
        echo "For PDFs on macOS, install Homebrew (https://brew.sh), then run: brew install pango"
      fi
      ;;
    MINGW* | MSYS* | CYGWIN*)
      echo "For PDFs on Windows, install MSYS2 (https://www.msys2.org), run in its shell:" \
           "pacman -S mingw-w64-x86_64-pango, and add C:\\msys64\\mingw64\\bin to PATH (see $PANGO_HELP)."
      ;;
    *)
      echo "For PDFs, install Pango 1.44 or later (see $PANGO_HELP)."
      ;;
  esac
}

system_libraries
[ "${1:-}" = "--system-only" ] && exit 0

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
