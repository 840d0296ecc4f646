#!/usr/bin/env bash
# Fetch Debian's zsh and fish (and the one library fish needs beyond the base system) and
# unpack them, NOT install them, into .cache/shells/, as scripts/fetch-openrc.sh does for
# OpenRC: the release test checks the generated zsh and fish completions with `zsh -n` and
# `fish -n`. Idempotent; prints the directory. Env: RC_SUPERVISE_CACHE overrides .cache.
set -euo pipefail
repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${RC_SUPERVISE_CACHE:-$repo_dir/.cache}
tree=$cache/shells
marker=$tree/.fetch-shells.done
pkgs=(zsh fish libpcre2-32-0)
if [[ -f $marker && $(cat "$marker") == "${pkgs[*]}" ]]; then
  echo "$tree"
  exit 0
fi
rm -rf "$tree"
mkdir -p "$tree/debs"
(cd "$tree/debs" && apt-get download "${pkgs[@]}" >/dev/null 2>&1) ||
  { apt-get update -q >/dev/null 2>&1 && (cd "$tree/debs" && apt-get download "${pkgs[@]}" >/dev/null 2>&1); }
for d in "$tree"/debs/*.deb; do dpkg -x "$d" "$tree/root"; done
echo "${pkgs[*]}" >"$marker"
echo "$tree"
