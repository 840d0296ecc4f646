# our own fixture: the newer script and conf.d are installed under versioned names; the
# older ones (files/init, files/conf) stay beside them, named by no line
EAPI=8
src_install() {
	newconfd "${FILESDIR}/conf-2.0" queued
	newinitd "${FILESDIR}/init-2.0" queued
}
