#!/bin/sh
# Installs an unpacked rc-supervise release (the tarball's package/ directory) under PREFIX:
#   sh install.sh SRC PREFIX        e.g. sh install.sh package "$pkgdir/usr"
# Used by `make install` and the Alpine APKBUILD; the Gentoo ebuild does the same with its
# own helpers. What goes where (a test checks all three against the tarball's file list):
#   PREFIX/lib/rc-supervise/{package.json,bin/,lib/,schema/}   the program (needs only node)
#   PREFIX/bin/rc-supervise -> ../lib/rc-supervise/bin/rc-supervise.js
#   PREFIX/share/man/man8/rc-supervise.8
#   PREFIX/share/bash-completion/completions/rc-supervise
#   PREFIX/share/zsh/site-functions/_rc-supervise
#   PREFIX/share/fish/vendor_completions.d/rc-supervise.fish
#   PREFIX/share/doc/rc-supervise/{README.md,LICENSE}
set -eu
src=$1
prefix=$2
[ -f "$src/package.json" ] || { echo "install.sh: $src is not an unpacked rc-supervise release" >&2; exit 2; }
app=$prefix/lib/rc-supervise
mkdir -p "$app" "$prefix/bin" "$prefix/share/man/man8" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" "$prefix/share/doc/rc-supervise"
cp -R "$src/bin" "$src/lib" "$src/schema" "$app/"
cp "$src/package.json" "$app/package.json"
chmod 0755 "$app/bin/rc-supervise.js"
ln -sf ../lib/rc-supervise/bin/rc-supervise.js "$prefix/bin/rc-supervise"
cp "$src/man/rc-supervise.8" "$prefix/share/man/man8/rc-supervise.8"
cp "$src/completions/rc-supervise.bash" "$prefix/share/bash-completion/completions/rc-supervise"
cp "$src/completions/_rc-supervise" "$prefix/share/zsh/site-functions/_rc-supervise"
cp "$src/completions/rc-supervise.fish" "$prefix/share/fish/vendor_completions.d/rc-supervise.fish"
cp "$src/README.md" "$src/LICENSE" "$prefix/share/doc/rc-supervise/"
