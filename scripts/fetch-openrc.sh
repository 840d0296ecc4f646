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
#   openssh-server openssh-client   sshd, and ssh-keygen for a throw-away host key
#                             (test/e2e/wiki-daemons.test.ts, migrated sshd fixture)
#   libwrap0                  sshd (and syslog-ng's afsocket module) link against it
#   tor libevent-2.1-7        tor (migrated tor fixture) and the one library it needs beyond base
#   syslog-ng-core            syslog-ng, its private libs (/usr/lib/syslog-ng) and core modules
#   libivykis0 libnet1 libpcre3 libglib2.0-0 libjson-c5   what syslog-ng and its modules link
# (openrc's other dependencies libaudit1, libpam0g, libselinux1 and dnsmasq's libgmp10,
# libhogweed6, libnettle8, libidn2-0 come with apt/login on every Debian 12, as do libssl3
# and the krb5 libraries (libpam-modules -> libnsl2 -> libtirpc3 -> libgssapi-krb5-2), and
# libsystemd0, libcap2, libseccomp2, libzstd1, liblzma5 for sshd/tor; the ldd check below
# names any library still missing.)
packages=(
  openrc librc1 libeinfo1 insserv busybox tini dnsmasq-base
  libnetfilter-conntrack3 libnfnetlink0 libmnl0 libnftables1 libnftnl11 libjansson4 libxtables12
  libdbus-1-3
  openssh-server openssh-client libwrap0
  tor libevent-2.1-7
  syslog-ng-core libivykis0 libnet1 libpcre3 libglib2.0-0 libjson-c5
)
# The marker holds this stamp: a tree unpacked from another package list (e.g. before
# packages were added here) is not "up to date" and is unpacked again, with every package.
stamp="v1 ${packages[*]}"

# Trees replaced by an earlier run are moved aside, not deleted at once: a test sandbox
# may still have them mounted (overlay lowerdir). Nothing lives that long: remove those
# older than 10 minutes.
clean_old_trees() {
  local old
  for old in "$cache"/openrc-root.old.*; do
    [[ -d $old && -n $(find "$old" -maxdepth 0 -mmin +10 2>/dev/null) ]] && rm -rf "$old" 2>/dev/null
  done
  return 0
}

up_to_date() { [[ -f $marker && "$(cat "$marker")" == "$stamp" ]]; }
clean_old_trees
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
libpath="$libpath:$stage/usr/lib/syslog-ng"  # syslog-ng's RUNPATH, as seen inside the sandbox
bins=(usr/sbin/openrc-run usr/sbin/supervise-daemon usr/sbin/openrc usr/bin/busybox usr/bin/tini
      usr/sbin/dnsmasq usr/sbin/sshd usr/bin/ssh-keygen usr/bin/tor usr/sbin/syslog-ng)
# syslog-ng's own library and the modules the tests load (versioned paths: glob in the stage;
# a pattern that matches nothing stays literal and fails the existence check below)
for pat in 'usr/lib/syslog-ng/libsyslog-ng-3.*.so.0' 'usr/lib/syslog-ng/3.*/libaffile.so' \
           'usr/lib/syslog-ng/3.*/libafsocket.so'; do
  for f in "$stage"/$pat; do bins+=("${f#"$stage"/}"); done
done
for bin in "${bins[@]}"; do
  [[ -e $stage/$bin ]] || { echo "fetch-openrc: $bin is not in the unpacked packages" >&2; exit 1; }
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
if [[ -e $tree ]]; then
  old=$cache/openrc-root.old.$(date +%s).$$
  mv "$tree" "$old"
  touch "$old"  # clean_old_trees counts its 10 minutes from now
fi
mv "$stage" "$tree"
trap - EXIT
chmod 755 "$tree"
did+=("unpacked ${#packages[@]} packages")
echo "fetch-openrc: $(IFS=,; echo "${did[*]}" | sed 's/,/, /g') into $tree (openrc $(cat "$tree/usr/lib/rc/version" 2>/dev/null || echo '?'))"
