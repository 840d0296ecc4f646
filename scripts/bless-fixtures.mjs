#!/usr/bin/env node
// Writes fixtures/<svc>/<case>/{init.d,conf.d}.out from the current engine, for a human to
// READ and commit (like `jest -u`): an .out file is a reviewed expectation, not a recording.
// Usage: node scripts/bless-fixtures.mjs [case-id-substring]   (after `npm run build`)
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrateLoaded } from '../dist/src/migrate/migrate.js';
import { initParser } from '../dist/src/parse/parser.js';

await initParser();
const only = process.argv[2];
const root = 'fixtures';
for (const g of readdirSync(root)) {
  if (!statSync(path.join(root, g)).isDirectory() || g === 'overlay') continue;
  for (const c of readdirSync(path.join(root, g))) {
    const dir = path.join(root, g, c);
    if (!existsSync(path.join(dir, 'init.d.in'))) continue;
    if (only && !`${g}/${c}`.includes(only)) continue;
    const expect = existsSync(path.join(dir, 'expect.json')) ? JSON.parse(readFileSync(path.join(dir, 'expect.json'), 'utf8')) : {};
    const svc = expect.svc ?? g;
    const rd = (f) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : null);
    const meta = { realPath: '', mode: 0o755, uid: 0, gid: 0, mtimeMs: 0 };
    const initd = rd('init.d.in');
    const confd = rd('conf.d.in');
    let r;
    try {
      r = migrateLoaded({ name: svc, initdPath: `etc/init.d/${svc}`, confdPath: `etc/conf.d/${svc}`, initd: { ...meta, text: initd }, confd: confd === null ? null : { ...meta, text: confd } }, { foregroundArgs: expect.foreground_args });
    } catch (e) {
      console.log(`${g}/${c}: ERROR ${e.message}`);
      continue;
    }
    for (const [kind, before] of [['init.d', initd], ['conf.d', confd]]) {
      const ch = r.changes.find((x) => x.path === `etc/${kind}/${svc}`);
      const out = path.join(dir, `${kind}.out`);
      if (ch) writeFileSync(out, ch.after);
      else rmSync(out, { force: true });
    }
    console.log(`${g}/${c}: ${r.plan.kind}${r.plan.kind === 'migrate' ? ` via ${r.plan.route}` : r.plan.kind === 'refuse' ? ` (${r.plan.code})` : ''}`);
  }
}
