EAPI=8
src_install() {
	newinitd "${FILESDIR}"/${PN}.initd ${PN}
}
