EAPI=8
src_install() {
	newinitd "${FILESDIR}"/zapd-r1.initd zapd
}
