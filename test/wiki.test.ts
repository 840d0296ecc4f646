/**
 * The wiki page, service by service: each named service has a rule module and a fixture
 * pair, and each class the page says must not be converted has a fixture that is refused
 * (fixtures.test.ts checks that refused fixtures stay byte-identical).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findRule } from '../src/rules/registry.js';
import { FIXTURES, fixtureCases } from './helpers/fixtures.js';

const WIKI_SERVICES = [
  'acpid',
  'avahi-daemon',
  'bluetooth',
  'cupsd',
  'cups-browsed',
  'dbus',
  'dhcpcd',
  'dnsmasq',
  'fancontrol',
  'fcron',
  'gerbera',
  'iwd',
  'metalog',
  'mpd',
  'ntpd',
  'rngd',
  'sshd',
  'syslog-ng',
  'tor',
  'vixie-cron',
];

test('the list matches the wiki page in shared/seed', () => {
  const seed = path.join(path.dirname(FIXTURES), '..', 'shared', 'seed', 'gentoo-wiki-openrc-supervise-daemon.txt');
  if (!existsSync(seed)) return; // the page lives beside the repository, not in it
  const page = readFileSync(seed, 'utf8');
  for (const svc of WIKI_SERVICES) expect(page).toContain(svc);
});

test.each(WIKI_SERVICES)('%s: a rule module and a migrated fixture pair', (svc) => {
  const rule = findRule(svc);
  expect(rule?.services).toContain(svc);
  expect(rule?.refuse).toBeUndefined();
  const cases = fixtureCases().filter((c) => c.svc === svc && !c.expect.refused);
  expect(cases.length).toBeGreaterThanOrEqual(1);
  for (const c of cases) expect(c.initdOut !== null || c.confdOut !== null).toBe(true);
});

test.each([
  ['one-shot', 'oneshot'],
  ['netifrc', 'netifrc'],
  ['dcron', 'dcron'],
  ['libvirtd', 'libvirtd'],
])('refusal class %s has a refused fixture with no output', (_what, key) => {
  const cases = fixtureCases().filter((c) => c.id.startsWith('refuse/') && c.id.includes(key));
  expect(cases.length).toBeGreaterThanOrEqual(1);
  for (const c of cases) {
    expect(c.expect.refused).toBe(true);
    expect(c.initdOut).toBeNull();
    expect(c.confdOut).toBeNull();
  }
});

test("dcron and libvirtd are refused by their rules, with the wiki's reason", () => {
  expect(findRule('dcron')?.refuse?.reason).toMatch(/crash/);
  expect(findRule('libvirtd')?.refuse?.reason).toMatch(/crash/);
});
