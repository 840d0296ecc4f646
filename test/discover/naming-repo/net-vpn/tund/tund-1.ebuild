# our own fixture: the source file chosen by a USE flag, the name fixed
EAPI=8
src_install() {
	newinitd "${FILESDIR}"/tund$(usex firewall '.fw' '').initd tund
	newconfd "${FILESDIR}"/tund.confd tund
}
