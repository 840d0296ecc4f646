#!/usr/bin/env node
/**
 * A generated ebuild repository shaped like a real overlay (gentoo-mirror/guru: 88 init
 * scripts among ~13,000 files): about `scripts` init.d + conf.d pairs (from
 * scripts/gen-corpus.mjs, in `<cat>/<pkg>/files/`) among `files` files in all: ebuilds,
 * Manifests, metadata.xml, patches and other files/ content, profiles/ and metadata/.
 * Deterministic for a seed. Written here, modelled on the layout of real overlays; no file
 * of any real repository is copied.
 *
 *   node scripts/gen-overlay.mjs OUT [--scripts 100] [--files 13000] [--seed 1]
 *
 * Returns (and, run directly, prints) { dir, initd: [...], confd: [...], files }.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen-corpus.mjs';

/** mulberry32: a small seeded generator (the corpus has its own; this one only shapes filler). */
function rng(seed) {
  let a = [...String(seed)].reduce((h, c) => (Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0), 1);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

const CATS = ['app-admin', 'app-misc', 'dev-python', 'dev-libs', 'dev-util', 'games-misc', 'media-sound', 'net-misc', 'net-im', 'sys-apps', 'sys-process', 'www-apps', 'x11-misc', 'dev-ruby', 'gui-apps', 'app-text'];
const WORDS = ['alpha', 'beacon', 'cinder', 'delta', 'ember', 'flux', 'glyph', 'harbor', 'ion', 'jolt', 'kite', 'lumen', 'mosaic', 'nova', 'orbit', 'prism', 'quill', 'relay', 'sable', 'tandem', 'umbra', 'vertex', 'wisp', 'xenon', 'yarrow', 'zephyr'];

function ebuild(r, pkg, withInit) {
  const lines = [
    '# Copyright 2026 Gentoo Authors',
    '# Distributed under the terms of the GNU General Public License v2',
    '',
    'EAPI=8',
    '',
    `inherit ${r.pick(['meson', 'cmake', 'distutils-r1', 'go-module', 'cargo', 'autotools'])}${withInit ? ' systemd' : ''}`,
    '',
    `DESCRIPTION="The ${pkg} ${r.pick(['daemon', 'tool', 'library', 'client', 'server'])}"`,
    `HOMEPAGE="https://example.org/${pkg}"`,
    `SRC_URI="https://example.org/${pkg}/\${P}.tar.gz"`,
    '',
    'LICENSE="MIT"',
    'SLOT="0"',
    'KEYWORDS="~amd64"',
    `IUSE="${r.pick(['doc test', 'systemd', 'ssl', ''])}"`,
    '',
    ...Array.from({ length: r.int(6, 40) }, (_, i) => `\t${r.pick(['dev-libs/openssl', 'sys-libs/zlib', 'dev-libs/glib:2', 'virtual/pkgconfig'])} # ${i}`),
    '',
    'src_install() {',
    '\tdefault',
    ...(withInit ? [`\tnewinitd "\${FILESDIR}"/${pkg}.initd ${pkg}`, `\tnewconfd "\${FILESDIR}"/${pkg}.confd ${pkg}`] : []),
    '}',
    '',
  ];
  return lines.join('\n');
}

const manifest = (r, pkg, n) =>
  Array.from({ length: n }, (_, i) => `DIST ${pkg}-${i}.tar.gz ${r.int(1e4, 9e6)} BLAKE2B ${'ab'.repeat(64)} SHA512 ${'cd'.repeat(64)}`).join('\n') + '\n';

const metadata = (pkg) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE pkgmetadata SYSTEM "https://www.gentoo.org/dtd/metadata.dtd">\n<pkgmetadata>\n\t<maintainer type="person">\n\t\t<email>dev@example.org</email>\n\t</maintainer>\n\t<upstream>\n\t\t<remote-id type="github">example/${pkg}</remote-id>\n\t</upstream>\n</pkgmetadata>\n`;

function patch(r, pkg) {
  const hunk = Array.from({ length: r.int(10, 120) }, (_, i) => `${r.pick([' ', '+', '-'])}\t${r.pick(WORDS)}_${i}(${r.pick(WORDS)});`);
  return `From: dev <dev@example.org>\nSubject: [PATCH] fix ${r.pick(WORDS)}\n\n--- a/src/${pkg}.c\n+++ b/src/${pkg}.c\n@@ -1,${hunk.length} +1,${hunk.length} @@\n${hunk.join('\n')}\n`;
}

export function generateOverlay({ out, scripts = 100, files = 13000, seed = '1' }) {
  const r = rng(`overlay/${seed}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // The init scripts (and their conf.d): the bench corpus generator's, moved into this tree.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rc-overlay-corpus-'));
  generate({ count: scripts, seed: `overlay-${seed}`, out: tmp });
  const meta = JSON.parse(readFileSync(path.join(tmp, 'corpus.json'), 'utf8'));
  cpSync(path.join(tmp, 'overlay'), out, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  const initd = meta.overlayInitd.map((f) => path.relative('overlay', f));
  const confd = meta.overlayConfd.map((f) => path.relative('overlay', f));
  let count = initd.length + confd.length;
  const write = (rel, text) => {
    mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    writeFileSync(path.join(out, rel), text);
    count++;
  };
  write('profiles/repo_name', 'bench-overlay\n');
  write('metadata/layout.conf', 'masters = gentoo\nthin-manifests = true\nsign-manifests = false\n');
  write('profiles/categories', CATS.join('\n') + '\n');
  write('profiles/use.local.desc', '');
  write('README.md', '# bench overlay\n');
  // Packages that ship an init script: their ebuilds, Manifest, metadata, maybe a patch.
  for (const f of initd) {
    const dir = path.dirname(path.dirname(f));
    const pkg = path.basename(dir);
    for (let v = 0; v < r.int(1, 3); v++) write(`${dir}/${pkg}-${v + 1}.${r.int(0, 9)}.ebuild`, ebuild(r, pkg, true));
    write(`${dir}/Manifest`, manifest(r, pkg, r.int(1, 4)));
    write(`${dir}/metadata.xml`, metadata(pkg));
    if (r.next() < 0.4) write(`${dir}/files/${pkg}-fix-build.patch`, patch(r, pkg));
    if (r.next() < 0.3) write(`${dir}/files/${pkg}.logrotate`, `/var/log/${pkg}/*.log {\n\tmissingok\n}\n`);
  }
  // Everything else: packages without init scripts until the tree has `files` files.
  for (let i = 0; count < files; i++) {
    const pkg = `${r.pick(WORDS)}-${r.pick(WORDS)}${i}`;
    const dir = `${r.pick(CATS)}/${pkg}`;
    for (let v = 0; v < r.int(1, 4) && count < files; v++) write(`${dir}/${pkg}-${v}.${r.int(0, 20)}.ebuild`, ebuild(r, pkg, false));
    if (count < files) write(`${dir}/Manifest`, manifest(r, pkg, r.int(1, 6)));
    if (count < files) write(`${dir}/metadata.xml`, metadata(pkg));
    for (let p = 0; p < (r.next() < 0.35 ? r.int(1, 4) : 0) && count < files; p++)
      write(`${dir}/files/${pkg}-${p}.patch`, patch(r, pkg));
    if (r.next() < 0.05 && count < files) write(`${dir}/files/${pkg}.conf`, `# ${pkg} configuration\nport = ${r.int(1000, 9999)}\n`);
    if (r.next() < 0.03 && count < files) write(`${dir}/files/${pkg}.service`, `[Unit]\nDescription=${pkg}\n\n[Service]\nExecStart=/usr/bin/${pkg}\n`);
  }
  return { dir: out, initd, confd, files: count };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [out, ...rest] = process.argv.slice(2);
  if (!out) throw new Error('usage: gen-overlay.mjs OUT [--scripts N] [--files N] [--seed S]');
  const o = { out };
  for (let i = 0; i < rest.length; i += 2) o[rest[i].replace(/^--/, '')] = rest[i].includes('seed') ? rest[i + 1] : Number(rest[i + 1]);
  const res = generateOverlay(o);
  process.stdout.write(JSON.stringify({ ...res, initd: res.initd.length, confd: res.confd.length }) + '\n');
}
