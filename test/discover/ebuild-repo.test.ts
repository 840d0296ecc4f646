import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
} from '../../src/discover/ebuild-repo.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.join(HERE, 'fixture-repo');
const KITS = path.join(HERE, 'kits');

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
    expect(all).toHaveLength(12);
  });
});
