EAPI=8
src_install() {
	newinitd "${FILESDIR}"/fgd.initd fgd
}
