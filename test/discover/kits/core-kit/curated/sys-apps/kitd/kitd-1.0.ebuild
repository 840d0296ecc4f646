EAPI=8
src_install() { doinitd "${FILESDIR}"/kitd; }
