# Copyright 2026 the rc-supervise authors
# Distributed under the terms of the MIT License

EAPI=8

inherit shell-completion

DESCRIPTION="Move OpenRC services from start-stop-daemon to supervise-daemon, safely"
HOMEPAGE="https://github.com/rc-supervise/rc-supervise"
# The release tarball (`npm run release`): a bundle that needs only Node, with the bash
# grammar's .wasm inside; nothing is fetched or compiled at build time.
SRC_URI="https://github.com/rc-supervise/rc-supervise/releases/download/v${PV}/${P}.tgz"
S="${WORKDIR}/package"

LICENSE="MIT"
SLOT="0"
KEYWORDS="~amd64 ~arm64 ~x86"

RDEPEND=">=net-libs/nodejs-20.19"

src_install() {
	# The same layout as packaging/install.sh (a test checks both against the tarball).
	insinto /usr/lib/rc-supervise
	doins -r bin lib schema package.json
	fperms 0755 /usr/lib/rc-supervise/bin/rc-supervise.js
	dosym ../lib/rc-supervise/bin/rc-supervise.js /usr/bin/rc-supervise
	doman man/rc-supervise.8
	newbashcomp completions/rc-supervise.bash rc-supervise
	dozshcomp completions/_rc-supervise
	dofishcomp completions/rc-supervise.fish
	dodoc README.md LICENSE
}
