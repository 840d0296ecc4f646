EAPI=8
src_install() {
	local s
	for s in relay hub spoke; do
		newinitd "${FILESDIR}"/${s}.initd ${s}
	done
}
