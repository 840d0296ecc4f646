EAPI=8
src_install() {
	newinitd "${FILESDIR}"/zapd.initd zapd
}
