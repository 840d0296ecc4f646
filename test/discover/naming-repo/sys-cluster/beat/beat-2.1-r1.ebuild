# our own fixture: scripts copied or edited into ${WORKDIR} / ${T} and installed from there
EAPI=8
src_prepare() {
	cp "${FILESDIR}"/2.1-r1-beat-init "${WORKDIR}"/beat-init || die
	sed -i -e "s:@LIB@:$(get_libdir):" "${WORKDIR}"/beat-init || die
}
src_install() {
	newinitd "${WORKDIR}/beat-init" beat
	sed -e "s:@LIB@:$(get_libdir):g" \
		"${FILESDIR}"/beatd.init.d-r2 \
		> "${T}"/beatd || die
	doinitd "${T}"/beatd
	cp "${FILESDIR}"/beat-logd.rc "${T}" || die
	newinitd "${T}"/beat-logd.rc beat-logd
	cat "${FILESDIR}"/beat-mon.initd.head "${FILESDIR}"/beat-mon.initd.tail > "${T}"/beat-mon || die
	doinitd "${T}"/beat-mon
}
