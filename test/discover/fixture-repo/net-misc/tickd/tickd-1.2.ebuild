# our own fixture: an ebuild that installs its init script under another file name
EAPI=8
inherit systemd
src_install() {
	default
	newinitd "${FILESDIR}"/${PN}.initd-r1 ${PN}
	newconfd "${FILESDIR}/${PN}.confd" "${PN}" || die "newconfd failed"
	systemd_dounit "${FILESDIR}"/tickd.service
	use extra && newinitd "${FILESDIR}/tickd-extra.rc" tickd-extra
}
