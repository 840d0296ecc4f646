# our own fixture: one script installed under several names by a loop, a brace list, exeinto
EAPI=8
src_install() {
	local svc
	for svc in api worker; do
		newinitd "${FILESDIR}/fleet.initd" fleet-${svc}
		newconfd "${FILESDIR}/fleet.confd" fleet-${svc}
	done
	doinitd "${FILESDIR}"/fleetctl-{agent,proxy}
	newinitd "$(prefixify_ro "${FILESDIR}"/fleet-ui.initd)" fleet-ui
	exeinto /etc/user/init.d
	newexe "${FILESDIR}/${P}.user.init" fleet-user
	elog "all done"
}
