/**
 * action.yml, .pre-commit-hooks.yaml and docs/lint-ci.md: the commands they run exist, with
 * options rc-supervise has (the old docs/lint-ci.md told users to install from a variable
 * that was never set, and used flags by memory).
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import path from 'node:path';
import { COMMANDS, GLOBAL_OPTIONS } from '../src/cli/spec.js';
import { run } from './helpers/cli.js';
import { REPO } from './helpers/fixtures.js';

const read = (p: string) => readFileSync(path.join(REPO, p), 'utf8');
const LINT = COMMANDS.find((c) => c.name === 'lint')!;
const FLAGS = new Set(
  [...LINT.options, ...GLOBAL_OPTIONS].flatMap((o) => [`--${o.name}`, ...(o.alias ? [`-${o.alias}`] : [])]),
);

/** Every `rc-supervise lint ...` command line in a text, GitHub expressions blanked. */
const lintLines = (text: string) =>
  [...text.matchAll(/rc-supervise lint([^\n>|]*)/g)].map((m) => m[1].replace(/\$\{\{[^}]*\}\}/g, ' ').trim());

test.each(['action.yml', '.pre-commit-hooks.yaml', 'docs/lint-ci.md', 'README.md'])(
  '%s: every rc-supervise lint option used exists',
  (file) => {
    const lines = lintLines(read(file));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines)
      for (const word of l.split(/\s+/).filter((w) => /^--?[a-zA-Z]/.test(w))) {
        const flag = /^--?[a-zA-Z][\w-]*/.exec(word)![0];
        expect([file, l, flag, FLAGS.has(flag)]).toEqual([file, l, flag, true]);
      }
  },
);

test('action.yml and .pre-commit-hooks.yaml are valid YAML (an unquoted ": " in a description made action.yml unreadable)', () => {
  const action = yaml.load(read('action.yml')) as {
    inputs: Record<string, { description: string }>;
    runs: { steps: { uses?: string; if?: string }[] };
  };
  for (const [name, input] of Object.entries(action.inputs))
    expect([name, typeof input.description]).toEqual([name, 'string']);
  // The cache is saved also when lint failed on findings.
  const save = action.runs.steps.find((st) => st.uses?.startsWith('actions/cache/save'));
  expect(save?.if).toMatch(/always\(\)/);
  expect(Array.isArray(yaml.load(read('.pre-commit-hooks.yaml')))).toBe(true);
});

test('action.yml builds the release this repository defines, and installs the tarball it makes', () => {
  const action = read('action.yml');
  const pkg = JSON.parse(read('package.json'));
  expect(action).toContain('npm run release');
  expect(pkg.scripts.release).toBeDefined();
  expect(action).toMatch(/npm install -g .*release\/rc-supervise-\*\.tgz/);
  expect(action).toContain('github/codeql-action/upload-sarif');
});

test('pre-commit: the files pattern takes init scripts and conf.d files, not ebuilds or Manifests', async () => {
  const hooks = read('.pre-commit-hooks.yaml');
  const pattern = /^\s+files: (.*)$/m.exec(hooks)![1];
  const re = new RegExp(pattern);
  for (const yes of [
    'net-misc/foo/files/foo.initd',
    'foo.initd-r2',
    'files/foo.confd',
    'etc/init.d/sshd',
    'etc/conf.d/sshd',
    'x/bar-initd',
    'y/baz.rc',
  ])
    expect([yes, re.test(yes)]).toEqual([yes, true]);
  for (const no of ['net-misc/foo/foo-1.ebuild', 'net-misc/foo/Manifest', 'metadata/layout.conf', 'files/foo.conf'])
    expect([no, re.test(no)]).toEqual([no, false]);
  const entry = /^\s+entry: (.*)$/m.exec(hooks)![1].split(' ');
  expect(entry.slice(0, 2)).toEqual(['rc-supervise', 'lint']);
  const r = await run(...entry.slice(1), '--help');
  expect(r.code).toBe(0);
});
