import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO, 'fixtures');

export interface Expect {
  svc?: string;
  route?: 'conf.d' | 'init.d';
  refused?: boolean;
  reason_contains?: string;
  already_supervised?: boolean;
  supervised_argv_contains?: string[];
  supervised_argv_excludes?: string[];
  /** The recording runs the script's own start_pre()/checkconfig() (pure shell) instead of no-ops. */
  hooks_run?: boolean;
  signals?: Record<string, string>;
  initd_unchanged?: boolean;
  warnings?: string[];
  /** Texts the plan's notes must contain. */
  notes?: string[];
  foreground_args?: string;
  needs_foreground?: boolean;
}

export interface FixtureCase {
  /** e.g. `sshd/stock` */
  id: string;
  dir: string;
  svc: string;
  initdIn: string;
  confdIn: string | null;
  initdOut: string | null;
  confdOut: string | null;
  expect: Expect;
}

const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);

/** Every fixtures/<group>/<case>/ holding an init.d.in (the overlay fixture is separate). */
export function fixtureCases(): FixtureCase[] {
  const out: FixtureCase[] = [];
  for (const group of readdirSync(FIXTURES).sort()) {
    const gdir = path.join(FIXTURES, group);
    if (!statSync(gdir).isDirectory()) continue;
    for (const c of readdirSync(gdir).sort()) {
      const dir = path.join(gdir, c);
      if (!existsSync(path.join(dir, 'init.d.in'))) continue;
      const expect = JSON.parse(read(path.join(dir, 'expect.json')) ?? '{}') as Expect;
      out.push({
        id: `${group}/${c}`,
        dir,
        svc: expect.svc ?? group,
        initdIn: read(path.join(dir, 'init.d.in'))!,
        confdIn: read(path.join(dir, 'conf.d.in')),
        initdOut: read(path.join(dir, 'init.d.out')),
        confdOut: read(path.join(dir, 'conf.d.out')),
        expect,
      });
    }
  }
  return out;
}

/** A throw-away root holding one service: etc/init.d/<svc> (0755) and etc/conf.d/<svc>. */
export async function makeRoot(files: { svc: string; initd: string; confd?: string | null }[]): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'rcs-root-'));
  await mkdir(path.join(root, 'etc/init.d'), { recursive: true });
  await mkdir(path.join(root, 'etc/conf.d'), { recursive: true });
  for (const f of files) {
    const p = path.join(root, 'etc/init.d', f.svc);
    await writeFile(p, f.initd);
    await chmod(p, 0o755);
    if (f.confd != null) await writeFile(path.join(root, 'etc/conf.d', f.svc), f.confd);
  }
  return root;
}
