#!/usr/bin/env bash
# Fetch Debian bookworm's OpenRC (and the few tools the tests run under it) and unpack
# them, NOT install them, into one tree: .cache/openrc-root/.
#
#   .cache/debs/          the downloaded .deb files (apt-get download)
#   .cache/openrc-root/   dpkg -x of every .deb, converted to the merged-/usr layout of
#                         the host (bin, sbin, lib moved under usr/, top-level symlinks),
#                         so the e2e harness can overlay usr/ over /usr in one mount and
#                         the recording stand-in finds usr/lib/rc/sh/*.sh.
#
# Idempotent: a marker file records the package list; a second run prints
# "up to date" and does nothing. Never installs anything into the system
# (no apt-get install, no dpkg -i). Needs apt-get, apt-cache, dpkg-deb and ldd,
# all of which are on every Debian 12 system. Runs `apt-get update` only when apt
# has no candidate for openrc yet (that needs root, as does downloading as _apt).
#
# Env: RC_SUPERVISE_CACHE overrides the .cache directory.
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${RC_SUPERVISE_CACHE:-$repo_dir/.cache}
debs=$cache/debs
tree=$cache/openrc-root
marker=$tree/.fetch-openrc.done

# What the tests need, and why:
#   openrc librc1 libeinfo1   openrc-run, supervise-daemon, /lib/rc/sh/*.sh and their libs
#   insserv                   openrc depends on it (ships /etc/insserv.conf, read by OpenRC)
#   busybox                   a tiny foreground daemon (httpd) and a client (wget)
#   tini                      the sandbox's subreaper, so supervise-daemon's double fork is reaped
#   dnsmasq-base              the dnsmasq binary (later reused with the migrated fixture)
#   libnetfilter-conntrack3 libnfnetlink0 libmnl0 libnftables1 libnftnl11 libjansson4
#   libxtables12 libdbus-1-3  shared libraries /usr/sbin/dnsmasq links against that a minimal
#                             Debian 12 may lack (ldd checked below)
# (openrc's other dependencies libaudit1, libpam0g, libselinux1 and dnsmasq's libgmp10,
# libhogweed6, libnettle8, libidn2-0 come with apt/login on every Debian 12; the ldd check
# below names any library still missing.)
packages=(
  openrc librc1 libeinfo1 insserv busybox tini dnsmasq-base
  libnetfilter-conntrack3 libnfnetlink0 libmnl0 libnftables1 libnftnl11 libjansson4 libxtables12
  libdbus-1-3
)
stamp="v1 ${packages[*]}"

up_to_date() { [[ -f $marker && "$(cat "$marker")" == "$stamp" ]]; }
if up_to_date; then
  echo "fetch-openrc: up to date ($tree, openrc $(cat "$tree/usr/lib/rc/version" 2>/dev/null || echo '?'))"
  exit 0
fi

for tool in apt-get apt-cache dpkg-deb ldd flock; do
  command -v "$tool" >/dev/null || { echo "fetch-openrc: '$tool' not found (need a Debian system)" >&2; exit 1; }
done

# Parallel test workers may call this at once: one fetches, the others wait and find it done.
mkdir -p "$cache"
exec 9>"$cache/.fetch-openrc.lock"
flock -w 600 9 || { echo "fetch-openrc: could not lock $cache/.fetch-openrc.lock" >&2; exit 1; }
if up_to_date; then
  echo "fetch-openrc: up to date ($tree, openrc $(cat "$tree/usr/lib/rc/version" 2>/dev/null || echo '?'))"
  exit 0
fi

did=()
policy=$(apt-cache policy openrc 2>/dev/null || true)  # no `| grep -q`: SIGPIPE + pipefail
if ! grep -Eq 'Candidate: [0-9]' <<<"$policy"; then
  apt-get update -qq
  did+=("apt-get update")
fi

mkdir -p "$debs"
missing=()
for p in "${packages[@]}"; do
  compgen -G "$debs/${p}_*.deb" >/dev/null || missing+=("$p")
done
if ((${#missing[@]})); then
  # -o APT::Sandbox::User=root: download as root into a root-owned dir without the
  # "_apt couldn't access" warning; nothing is installed.
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${missing[@]}" >/dev/null)
  did+=("downloaded ${#missing[@]} debs")
fi

stage=$(mktemp -d "$cache/openrc-root.tmp.XXXXXX")
trap 'rm -rf "$stage"' EXIT
for p in "${packages[@]}"; do
  # newest one if several versions accumulated
  deb=$(ls -1 "$debs/${p}"_*.deb | sort -V | tail -n 1)
  dpkg-deb -x "$deb" "$stage"
done

# Merged-/usr layout, like the host: move bin, sbin, lib, lib64 under usr/.
for d in bin sbin lib lib32 lib64 libx32; do
  if [[ -d $stage/$d && ! -L $stage/$d ]]; then
    mkdir -p "$stage/usr/$d"
    cp -a "$stage/$d/." "$stage/usr/$d/"
    rm -rf "${stage:?}/$d"
    ln -s "usr/$d" "$stage/$d"
  fi
done

# Every binary the tests run must find its libraries (host libs + the unpacked ones).
libpath="$stage/usr/lib/x86_64-linux-gnu"
for arch_dir in "$stage"/usr/lib/*-linux-gnu*; do libpath="$libpath:$arch_dir"; done
for bin in usr/sbin/openrc-run usr/sbin/supervise-daemon usr/sbin/openrc usr/bin/busybox \
           usr/bin/tini usr/sbin/dnsmasq; do
  if out=$(LD_LIBRARY_PATH=$libpath ldd "$stage/$bin" 2>&1) && ! grep -q 'not found' <<<"$out"; then
    :
  else
    echo "fetch-openrc: $bin has unresolved libraries:" >&2
    grep 'not found' <<<"$out" >&2 || echo "$out" >&2
    echo "fetch-openrc: add the Debian package that ships them to 'packages' in $0" >&2
    exit 1
  fi
done

echo "$stamp" >"$stage/.fetch-openrc.done"
rm -rf "$tree"
mv "$stage" "$tree"
trap - EXIT
chmod 755 "$tree"
did+=("unpacked ${#packages[@]} packages")
echo "fetch-openrc: $(IFS=,; echo "${did[*]}" | sed 's/,/, /g') into $tree (openrc $(cat "$tree/usr/lib/rc/version" 2>/dev/null || echo '?'))"
