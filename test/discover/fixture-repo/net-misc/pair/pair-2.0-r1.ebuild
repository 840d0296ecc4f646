EAPI=8
MY_NAME="pair-server"
src_install() {
	newinitd "${FILESDIR}"/${P}.init ${MY_NAME}
	doconfd "${FILESDIR}"/pair-server
	newinitd "$(prefixify "${FILESDIR}"/pair-helper.initd)" pair-helper
	"${FILESDIR}/pair-sed.initd" | newinitd - pair-sed
}
