import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'iwd',
  services: ['iwd'],
  daemons: ['iwd'],
  summary: 'Set supervisor="supervise-daemon" in /etc/conf.d/iwd; iwd already stays in the foreground.',
  route: 'conf.d',
  foreground: '',
  notes: [
    'iwd has no option to daemonize and never forks; the stock script backgrounds it with command_background, which supervise-daemon ignores (docs/openrc.md §4).',
    'pidfile="/run/iwd.pid" is written by start-stop-daemon --make-pidfile, not by iwd, so supervise-daemon can use it.',
    'Gentoo ships no /etc/conf.d/iwd: the migration creates it. "keyword -shutdown" in depend() is unaffected.',
  ],
  sources: [
    'wiki: iwd',
    'iwd(8): runs in the foreground; no daemonize option',
    'docs/openrc.md §1',
    'docs/openrc.md §4',
  ],
};

export default rule;
