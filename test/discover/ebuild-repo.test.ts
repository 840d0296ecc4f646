import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  confdStem,
  ebuildVars,
  findPackages,
  initdStem,
  installLines,
  isEbuildRepo,
  scanEbuildRepo,
  scanPackage,
  serviceStem,
  staticWords,
  useAlternatives,
  versionKey,
  withoutVersionPrefix,
} from '../../src/discover/ebuild-repo.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.join(HERE, 'fixture-repo');
const KITS = path.join(HERE, 'kits');
/** Our own packages modelled on how real ebuilds name (or hide) the install name. */
const NAMING = path.join(HERE, 'naming-repo');

/** name, source file and conf.d file (relative to files/), how it was found */
function summary(pkg: string) {
  const p = scanPackage(path.join(REPO, pkg));
  const files = path.join(REPO, pkg, 'files') + path.sep;
  return p.services.map((s) => [s.name, s.initd.replace(files, ''), s.confd?.replace(files, '') ?? null, s.via]);
}

describe('static words of an ebuild line', () => {
  const vars = { FILESDIR: '/r/c/p/files', PN: 'foo', P: 'foo-1.2', PV: '1.2' };
  test('FILESDIR, PN, P, PV in every quoting the ebuilds use', () => {
    expect(staticWords('"${FILESDIR}"/${PN}.initd ${PN} || die', vars)).toEqual(['/r/c/p/files/foo.initd', 'foo']);
    expect(staticWords('"${FILESDIR}/${P}.confd" "${PN}"', vars)).toEqual(['/r/c/p/files/foo-1.2.confd', 'foo']);
    expect(staticWords("$FILESDIR/x-${PV}.rc 'bar'", vars)).toEqual(['/r/c/p/files/x-1.2.rc', 'bar']);
  });
  test('what needs more than static variables is unknown (null), never guessed', () => {
    expect(staticWords('"${FILESDIR}"/${svc}.initd ${svc}', vars)).toEqual([null, null]);
    expect(staticWords('"$(prefixify_ro "${FILESDIR}"/nscd)" nscd', vars)).toEqual([null, 'nscd']);
    expect(staticWords('"${FILESDIR}"/${PN:-x}.initd foo', vars)).toEqual([null, 'foo']);
    expect(staticWords('"${FILESDIR}"/*.initd', vars)).toEqual([null]);
  });
  test('ebuild variables from the file name', () => {
    expect(ebuildVars('/r/net-misc/pair', '/r/net-misc/pair/pair-2.0-r1.ebuild')).toEqual({
      FILESDIR: '/r/net-misc/pair/files',
      PN: 'pair',
      CATEGORY: 'net-misc',
      PV: '2.0',
      PR: 'r1',
      PVR: '2.0-r1',
      P: 'pair-2.0',
      PF: 'pair-2.0-r1',
    });
  });
  test('install lines: only sources inside files/, a name that is a valid service name', () => {
    const text = [
      'newinitd "${FILESDIR}"/a.initd a',
      '\tuse x && newconfd "${FILESDIR}"/a.confd a',
      'newinitd "${S}"/contrib/a.rc a', // ${S} is not static here
      'newinitd "${FILESDIR}"/../../escape.initd esc',
      'doinitd "${FILESDIR}"/b "${FILESDIR}"/c',
      '# newinitd "${FILESDIR}"/commented c',
    ].join('\n');
    expect(installLines(text, { FILESDIR: '/r/c/p/files' }).map((l) => [l.kind, l.src, l.name, l.line])).toEqual([
      ['initd', '/r/c/p/files/a.initd', 'a', 1],
      ['confd', '/r/c/p/files/a.confd', 'a', 2],
      ['initd', '/r/c/p/files/b', 'b', 5],
      ['initd', '/r/c/p/files/c', 'c', 5],
    ]);
  });
});

describe('names', () => {
  test.each([
    ['foo.initd', 'foo'],
    ['foo.initd-r2', 'foo'],
    ['foo-r1.initd', 'foo'],
    ['foo.initd.2', 'foo'],
    ['foo-initd', 'foo'],
    ['foo.init.d-r1', 'foo'],
    ['foo.init-2', 'foo'],
    ['foo.rc6', 'foo'],
    ['foo.init-9.3-r1', 'foo'],
    ['rpc.gssd.initd', 'rpc.gssd'],
    ['foo.conf', null],
  ])('init script %s → %s', (file, stem) => expect(initdStem(file)).toBe(stem));
  test.each([
    ['foo.confd', 'foo'],
    ['foo.confd-r1', 'foo'],
    ['foo.conf.d-2', 'foo'],
    ['foo-confd', 'foo'],
    ['foo-confd-4.1', 'foo'],
    ['foo.conf', null],
  ])('conf.d %s → %s', (file, stem) => expect(confdStem(file)).toBe(stem));
  test('version tails go, a name that would become empty stays', () => {
    expect(serviceStem('nscd-1')).toBe('nscd');
    expect(serviceStem('init.d-readahead-r1')).toBe('readahead');
    expect(serviceStem('9')).toBe('9');
  });
});

describe('a package mapped into services', () => {
  test('the ebuild pairs first; a file no line names is paired by name', () => {
    expect(summary('net-misc/tickd')).toEqual([
      ['tickd', 'tickd.initd', 'tickd.confd', 'name'],
      ['tickd', 'tickd.initd-r1', 'tickd.confd', 'ebuild'],
      ['tickd-extra', 'tickd-extra.rc', null, 'ebuild'],
    ]);
    const p = scanPackage(path.join(REPO, 'net-misc/tickd'));
    expect(p.units.map((u) => u.name)).toEqual(['tickd.service']);
    expect(p.services.every((s) => s.units === p.units)).toBe(true);
  });
  test('${P} and a top-level variable resolve; $(...) and `newinitd -` do not', () => {
    expect(summary('net-misc/pair')).toEqual([
      ['pair-helper', 'pair-helper.initd', null, 'name'],
      ['pair-server', 'pair-2.0.init', 'pair-server', 'ebuild'],
    ]);
  });
  test('a loop variable is unknown: names pair .initd.2, .conf.d-r1, -confd', () => {
    expect(summary('app-misc/loopy')).toEqual([
      ['hub', 'hub.initd', 'hub.conf.d-r1', 'name'],
      ['relay', 'relay.initd.2', 'relay.confd', 'name'],
      ['spoke', 'spoke-initd', 'spoke-confd', 'name'],
    ]);
  });
  test('.rc / .init and unnamed files need an OpenRC (or legacy runscript) shebang', () => {
    expect(summary('app-misc/weak')).toEqual([
      ['legacy', 'legacy.init-r1', null, 'name'],
      ['weak', 'weak.rc', null, 'name'],
      ['weak-extra', 'weak-extra', null, 'name'],
    ]);
  });
});

// What the ebuild says about the install name, read as far as it can be; the rest said, not guessed.
describe('install names the way the ebuild installs them', () => {
  const vars = { FILESDIR: '/r/c/p/files', PN: 'p', P: 'p-2', PV: '2' };
  const F = (...n: string[]) => n.map((x) => `/r/c/p/files/${x}`);
  const names = (text: string, files: string[] = []) =>
    installLines(text, vars, files).map((l) => [
      l.kind,
      l.src.replace('/r/c/p/files/', ''),
      l.name,
      l.partial ?? false,
    ]);

  test('a brace list is one word per alternative', () => {
    expect(staticWords('"${FILESDIR}"/d-{client,relay}.initd', vars)).toEqual(F('d-client.initd', 'd-relay.initd'));
    expect(staticWords('"${FILESDIR}"/{a,b}{,-ssl}', vars)).toEqual(F('a', 'a-ssl', 'b', 'b-ssl'));
  });
  test('a for loop over a static list: one line per value; over anything else: unknown', () => {
    const text = ['for s in api worker; do', '\tnewinitd "${FILESDIR}"/x.initd x-${s}', '\telog "${s} done"', 'done'];
    expect(names(text.join('\n'))).toEqual([
      ['initd', 'x.initd', 'x-api', false],
      ['initd', 'x.initd', 'x-worker', false],
    ]);
    expect(names(text.join('\n').replace('api worker', '${LIST}'))).toEqual([]);
    // kcptun: `for x in client $(usev server)`: every value a USE flag can add
    expect(names(text.join('\n').replace('api worker', 'api $(usev worker)'))).toEqual([
      ['initd', 'x.initd', 'x-api', false],
      ['initd', 'x.initd', 'x-worker', false],
    ]);
    // after the loop, its variable is the ebuild's again (here: unset)
    expect(names([...text, 'newinitd "${FILESDIR}"/y.initd y-${s}'].join('\n'))).toHaveLength(2);
  });
  test('a script copied or edited into ${T} / ${WORKDIR} is the file of files/ it came from', () => {
    const text = [
      'cp "${FILESDIR}"/1.0-a-init "${WORKDIR}"/a-init || die',
      'newinitd "${WORKDIR}"/a-init a',
      'sed -e "s:@L@:$(get_libdir):" \\',
      '\t"${FILESDIR}"/b.init.d-r2 > "${T}"/b || die',
      'doinitd "${T}"/b',
      'cp "${FILESDIR}"/c.rc "${T}" && newinitd "${T}"/c.rc c',
      'cat "${FILESDIR}"/d.head "${FILESDIR}"/d.tail > "${T}"/d',
      'doinitd "${T}"/d',
      // distcc: a copy that gets lines appended at build time is still that file
      'cp "${FILESDIR}/e.confd" "${T}/e" || die',
      'if use zeroconf; then',
      '\tcat >> "${T}/e" <<-EOF || die',
      '\tE_OPTS="\\${E_OPTS} --zeroconf"',
      '\tEOF',
      'fi',
      'doconfd "${T}/e"',
      // ... but one that gets another file of files/ appended is made of parts
      'cp "${FILESDIR}/f.head" "${T}/f"',
      'cat "${FILESDIR}/f.tail" >> "${T}/f"',
      'doinitd "${T}/f"',
    ].join('\n');
    expect(names(text)).toEqual([
      ['initd', '1.0-a-init', 'a', false],
      ['initd', 'b.init.d-r2', 'b', false],
      ['initd', 'c.rc', 'c', false],
      ['confd', 'e.confd', 'e', false],
    ]);
  });
  test('exeinto /etc/init.d (or /etc/user/init.d) makes newexe/doexe init scripts, insinto /etc/conf.d newins/doins conf.d files; elsewhere not', () => {
    const text = [
      'exeinto /etc/user/init.d',
      'newexe "${FILESDIR}"/${P}.user.init p',
      'exeinto /usr/libexec',
      'doexe "${FILESDIR}"/helper',
      'insinto /etc/conf.d',
      'newins "${FILESDIR}"/p.confd-r1 p',
      'insinto /etc/logrotate.d',
      'newins "${FILESDIR}"/p.logrotate p',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['initd', 'p-2.user.init', 'p', false],
      ['confd', 'p.confd-r1', 'p', false],
    ]);
  });
  // spdylay's shrpx: `insinto /etc/init.d/` + `newins` for the script, `insinto /etc/conf.d/` for its conf.d.
  test('insinto /etc/init.d (a trailing slash too) makes newins/doins init scripts', () => {
    const text = [
      'insinto /etc/init.d/',
      'newins "${FILESDIR}/shrpx.init" "shrpx"',
      'insinto /etc/conf.d/',
      'newins "${FILESDIR}/shrpx.conf" "shrpx"',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['initd', 'shrpx.init', 'shrpx', false],
      ['confd', 'shrpx.conf', 'shrpx', false],
    ]);
  });
  test('$(prefixify_ro X) is X', () => {
    expect(names('newinitd "$(prefixify_ro "${FILESDIR}"/nscd-1)" nscd')).toEqual([['initd', 'nscd-1', 'nscd', false]]);
  });
  test('a source a USE flag picks: every file it can pick, marked partial; only files that exist', () => {
    expect(useAlternatives(`x/u$(use fw && echo '.fw').initd u`)).toEqual(['x/u.fw.initd u', 'x/u.initd u']);
    expect(useAlternatives('x/u$(usex fw -fw "").initd u')).toEqual(['x/u-fw.initd u', 'x/u.initd u']);
    expect(useAlternatives('x/u$(usev fw).initd u')).toEqual(['x/ufw.initd u', 'x/u.initd u']);
    expect(useAlternatives('x/u$(get_suffix).initd u')).toEqual([]);
    const line = `newinitd "\${FILESDIR}"/u$(use fw && echo '.fw').initd u`;
    expect(names(line, F('u.initd', 'u.fw.initd', 'u-helper.initd'))).toEqual([
      ['initd', 'u.fw.initd', 'u', true],
      ['initd', 'u.initd', 'u', true],
    ]);
  });
  // What real ebuilds do to a template in files/ (dbus, cups, dhcp): the installed script has the values.
  describe("the ebuild's sed substitutions on an init script it installs", () => {
    const fills = (text: string) =>
      installLines(text, vars)
        .filter((l) => l.kind === 'initd')
        .map((l) => [l.name, l.fills ?? null]);
    test('sed into ${T} with a value from a variable assigned once from $(usex ...), EPREFIX empty: every value', () => {
      const text = [
        'src_configure() {',
        '\tlocal rundir=$(usex kernel_linux /run /var/run)',
        '\tsed -e "s;@rundir@;${EPREFIX}${rundir};g" "${FILESDIR}"/d.initd.in \\',
        '\t\t> "${T}"/d.initd || die',
        '}',
        'src_install() {',
        '\tnewinitd "${T}"/d.initd d',
        '}',
      ].join('\n');
      expect(fills(text)).toEqual([['d', [{ from: '@rundir@', to: ['/run', '/var/run'], global: true }]]]);
    });
    test('cp into ${T}, then sed -i on the copy with a literal value', () => {
      const text = [
        'cp "${FILESDIR}"/c.init.d-r3 "${T}"/c || die',
        'sed -i -e "s/@need@/need net/" -e "s:@PN@:${PN}:g" "${T}"/c || die',
        'doinitd "${T}"/c',
      ].join('\n');
      expect(fills(text)).toEqual([
        [
          'c',
          [
            { from: '@need@', to: ['need net'], global: false },
            { from: '@PN@', to: ['p'], global: true },
          ],
        ],
      ]);
    });
    test('sed -i on ${ED}/etc/init.d/* (or one name) edits the scripts installed before it, not after', () => {
      const text = [
        'newinitd "${FILESDIR}"/a.init5 a',
        'newinitd "${FILESDIR}"/b.init3 b',
        'sed -i "s:#@slapd@:$(usex ldap slapd \'\'):" "${ED%/}"/etc/init.d/* || die',
        'sed -i "s:@X@:y:" "${D}"/etc/init.d/b || die',
        'newinitd "${FILESDIR}"/c.init c',
      ].join('\n');
      const slapd = { from: '#@slapd@', to: ['slapd', ''], global: false };
      expect(fills(text)).toEqual([
        ['a', [slapd]],
        ['b', [slapd, { from: '@X@', to: ['y'], global: false }]],
        ['c', null],
      ]);
    });
    test('a value the ebuild computes, a pattern, another sed command: the file is left as it is', () => {
      const text = [
        'local needed',
        'use zeroconf && needed+=" avahi-daemon"',
        'cp "${FILESDIR}"/c.init "${T}"/c',
        'sed -i -e "s/@needed@/${needed}/" "${T}"/c',
        'cp "${FILESDIR}"/d.init "${T}"/d',
        'sed -i -e "s/@A.*@/x/" "${T}"/d',
        'cp "${FILESDIR}"/e.init "${T}"/e',
        'sed -i -e "s/@E@/x/" -e "/^#/d" "${T}"/e',
        'cp "${FILESDIR}"/f.init "${T}"/f',
        'sed -i -e "s/@F@/a&b/" "${T}"/f',
        'doinitd "${T}"/c "${T}"/d "${T}"/e "${T}"/f',
      ].join('\n');
      expect(fills(text)).toEqual([
        ['c', null],
        ['d', null],
        ['e', null],
        ['f', null],
      ]);
    });
    test('a copy made again drops the substitutions made in the copy before', () => {
      const text = [
        'cp "${FILESDIR}"/c.init "${T}"/c',
        'sed -i "s/@C@/x/" "${T}"/c',
        'cp "${FILESDIR}"/c.init "${T}"/c',
        'doinitd "${T}"/c',
      ].join('\n');
      expect(fills(text)).toEqual([['c', null]]);
    });
  });
  test('version prefixes and version keys', () => {
    expect(withoutVersionPrefix('3.0.6-r1-heartbeat-init', 'heartbeat')).toBe('heartbeat-init');
    expect(withoutVersionPrefix('courier-imap-4.0.6-r1-courier-imapd.rc6', 'courier-imap')).toBe('courier-imapd.rc6');
    expect(withoutVersionPrefix('2.4', 'x')).toBe('2.4');
    expect(versionKey('suricata-4.0.3-init')).toBe(versionKey('suricata-5.0.1-init'));
    expect(versionKey('amc.init2')).toBe(versionKey('amc.init.4'));
    expect(versionKey('sshd-r1.initd')).toBe(versionKey('sshd.initd'));
    expect(versionKey('ip6tables.init')).not.toBe(versionKey('iptables.init'));
    expect(versionKey('pbs_mom-init.d')).not.toBe(versionKey('pbs_mom-init.d-munge'));
  });

  const named = (pkg: string) => {
    const p = scanPackage(path.join(NAMING, pkg));
    const files = path.join(NAMING, pkg, 'files') + path.sep;
    return p.services.map((s) => [s.name, s.initd.replace(files, ''), s.confd?.replace(files, '') ?? null, s.nameFrom]);
  };
  test('a package: loop, brace list, prefixify_ro, exeinto (all from the ebuild); a user service (exeinto /etc/user/init.d) is not listed', () => {
    expect(named('net-misc/fleet')).toEqual([
      ['fleet-api', 'fleet.initd', 'fleet.confd', 'ebuild'],
      ['fleet-ui', 'fleet-ui.initd', null, 'ebuild'],
      ['fleet-worker', 'fleet.initd', 'fleet.confd', 'ebuild'],
      ['fleetctl-agent', 'fleetctl-agent', null, 'ebuild'],
      ['fleetctl-proxy', 'fleetctl-proxy', null, 'ebuild'],
    ]);
  });
  test('a package: USE-picked source; a file no line names is named after itself, and says so', () => {
    expect(named('net-vpn/tund')).toEqual([
      ['tund', 'tund.fw.initd', 'tund.confd', 'ebuild-partial'],
      ['tund', 'tund.initd', 'tund.confd', 'ebuild-partial'],
      ['tund-helper', 'tund-helper.initd', null, 'file-name'],
    ]);
    const helper = scanPackage(path.join(NAMING, 'net-vpn/tund')).services.find((s) => s.name === 'tund-helper')!;
    expect(helper.nameNote).toMatch(/no ebuild line says what this file is installed as/);
  });
  test('an older script comes with the older version of the conf.d its newer version is installed with', () => {
    // files/init beside init-2.0 (installed with conf-2.0): files/conf, named by no line and
    // naming no service by itself, is conf-2.0's older version
    expect(named('app-misc/queued')).toEqual([
      ['queued', 'init', 'conf', 'older-version'],
      ['queued', 'init-2.0', 'conf-2.0', 'ebuild'],
    ]);
  });
  test('a package: copies into ${WORKDIR}/${T}, older versions, a version prefix, fragments', () => {
    expect(named('sys-cluster/beat')).toEqual([
      ['beat', '2.1-r1-beat-init', null, 'ebuild'],
      ['beat', 'beat-init', null, 'older-version'],
      ['beat-logd', 'beat-logd.rc', null, 'ebuild'],
      // cat head tail > ${T}/beat-mon: the parts are not the script; named after themselves, and said so
      ['beat-mon', 'beat-mon.initd.head', null, 'file-name'],
      ['beat-mon', 'beat-mon.initd.tail', null, 'file-name'],
      ['beatctl', 'beat-1.0-r2-beatctl.rc6', null, 'file-name'],
      ['beatd', 'beatd.init.d-r1', null, 'older-version'],
      ['beatd', 'beatd.init.d-r2', null, 'ebuild'],
    ]);
  });
});

describe('what discovery does not read', () => {
  // A package of its own in a temporary directory, so that the fixture repository's counts stay.
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rcs-ebuild-'));
    mkdirSync(path.join(dir, 'files'));
    writeFileSync(
      path.join(dir, 'odd-1.ebuild'),
      'EAPI=8\nsrc_install() {\n\tnewinitd "${FILESDIR}"/odd.patch odd\n}\n',
    );
    writeFileSync(path.join(dir, 'files', 'odd.patch'), '#!/sbin/openrc-run\ncommand=/usr/bin/odd\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  test('a files/ holding only patches is not looked into: its ebuilds are not read', () => {
    expect(scanPackage(dir).services).toEqual([]);
  });
  test('once files/ holds anything else, the ebuilds say what is installed, patches included', () => {
    writeFileSync(path.join(dir, 'files', 'odd.logrotate'), '/var/log/odd.log {}\n');
    expect(scanPackage(dir).services.map((s) => [s.name, path.basename(s.initd), s.via])).toEqual([
      ['odd', 'odd.patch', 'ebuild'],
    ]);
  });
  test('the entries a walk has read are used as they are (no second listing)', () => {
    // Entries that do not list files/: the package is taken as having none.
    expect(scanPackage(dir, []).services).toEqual([]);
  });
});

describe('a repository walked with link counts (a directory with no subdirectory is not listed)', () => {
  // Where the file system counts subdirectories in a directory's link count (ext4, XFS, tmpfs:
  // the temporary directory here), discovery skips listing what cannot hold an init script.
  // What it finds must be what a full listing finds: these are the cases a count could hide.
  let repo: string;
  const pkg = (rel: string, ebuild: string, files: Record<string, string> = {}) => {
    mkdirSync(path.join(repo, rel), { recursive: true });
    writeFileSync(path.join(repo, rel, `${path.basename(rel)}-1.ebuild`), `EAPI=8\nsrc_install() {\n${ebuild}}\n`);
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, rel, 'files', f)), { recursive: true });
      writeFileSync(path.join(repo, rel, 'files', f), text);
    }
  };
  const found = () =>
    scanEbuildRepo(repo).flatMap((p) => p.services.map((s) => `${s.name} ${path.relative(repo, s.initd)}`));
  beforeEach(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'rcs-nlink-'));
    mkdirSync(path.join(repo, 'profiles'));
    writeFileSync(path.join(repo, 'profiles/repo_name'), 'nlink\n');
    pkg('app-misc/alpha', '\tnewinitd "${FILESDIR}"/alpha.initd alpha\n', { 'alpha.initd': '#!/sbin/openrc-run\n' });
    pkg('app-misc/plain', '\tdefault\n');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test('a files/ that is a symlink (the package directory has no subdirectory) is still read', () => {
    // beta's files/ is alpha's, through a symlink: beta's link count is that of a leaf.
    pkg('app-misc/beta', '\tnewinitd "${FILESDIR}"/alpha.initd beta\n');
    symlinkSync('../alpha/files', path.join(repo, 'app-misc/beta/files'));
    expect(lstatSync(path.join(repo, 'app-misc/beta')).nlink).toBeLessThanOrEqual(2);
    expect(found()).toEqual(['alpha app-misc/alpha/files/alpha.initd', 'beta app-misc/beta/files/alpha.initd']);
  });
  test('a files/ in a subdirectory (version directories), beside patches, and a package nested deeper', () => {
    pkg('app-misc/gamma', '\tnewinitd "${FILESDIR}"/1.0/gamma.initd gamma\n', {
      'gamma-fix.patch': '',
      '1.0/gamma.initd': '#!/sbin/openrc-run\n',
    });
    pkg('kit/branch/net-misc/delta', '\tdoinitd "${FILESDIR}"/delta\n', { delta: '#!/sbin/openrc-run\n' });
    // a package with files/ and another subdirectory: listed as before
    pkg('net-misc/eps', '\tnewinitd "${FILESDIR}"/eps.initd eps\n', { 'eps.initd': '#!/sbin/openrc-run\n' });
    mkdirSync(path.join(repo, 'net-misc/eps/extra'));
    expect(found()).toEqual([
      'alpha app-misc/alpha/files/alpha.initd',
      'gamma app-misc/gamma/files/1.0/gamma.initd',
      'delta kit/branch/net-misc/delta/files/delta',
      'eps net-misc/eps/files/eps.initd',
    ]);
  });
  test('a files/ of patches only gives nothing, as with a full listing', () => {
    pkg('app-misc/zeta', '\tnewinitd "${FILESDIR}"/zeta.patch zeta\n', { 'zeta.patch': '#!/sbin/openrc-run\n' });
    expect(found()).toEqual(['alpha app-misc/alpha/files/alpha.initd']);
  });
});

describe('layouts', () => {
  test('a repository is recognised; its plumbing is not a package', () => {
    expect(isEbuildRepo(REPO)).toBe(true);
    expect(isEbuildRepo(path.join(KITS, 'core-kit/curated'))).toBe(true);
    expect(isEbuildRepo(HERE)).toBe(false);
    expect(findPackages(REPO).map((p) => path.relative(REPO, p))).toEqual([
      'app-misc/loopy',
      'app-misc/weak',
      'net-misc/pair',
      'net-misc/tickd',
    ]);
  });
  test("kit-fixups' extra level and a directory of several repositories", () => {
    const all = scanEbuildRepo(HERE).flatMap((p) => p.services.map((s) => path.relative(HERE, s.initd)));
    expect(all).toContain('kits/core-kit/curated/sys-apps/kitd/files/kitd');
    expect(all).toContain('fixture-repo/net-misc/pair/files/pair-2.0.init');
    expect(all.filter((p) => !p.startsWith('naming-repo/'))).toHaveLength(12);
    expect(all).toContain('naming-repo/net-vpn/tund/files/tund.fw.initd');
  });
});
