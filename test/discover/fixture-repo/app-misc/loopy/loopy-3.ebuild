EAPI=8
src_install() {
	local s
	for s in $(list_services); do
		newinitd "${FILESDIR}"/${s}.initd ${s}
	done
}
