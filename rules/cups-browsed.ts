import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'cups-browsed',
  services: ['cups-browsed'],
  daemons: ['cups-browsed'],
  summary:
    'Set supervisor="supervise-daemon" in /etc/conf.d/cups-browsed; cups-browsed already stays in the foreground.',
  route: 'conf.d',
  // Already in the foreground under start-stop-daemon: no words for command_args_foreground.
  foreground: '',
  notes: [
    'cups-browsed has no option to daemonize and never forks; the stock script backgrounds it with command_background, which supervise-daemon ignores (docs/openrc.md §4). Hence only supervisor= is needed, as the wiki says.',
    'pidfile="/run/cups-browsed.pid" is written by start-stop-daemon --make-pidfile, not by cups-browsed, so supervise-daemon can use it.',
    'Gentoo ships no /etc/conf.d/cups-browsed: the migration creates it.',
  ],
  sources: [
    'wiki: cups-browsed',
    'cups-browsed(8): runs in the foreground; its options (-c, -o, --debug, --autoshutdown...) include none to daemonize',
    'docs/openrc.md §1',
    'docs/openrc.md §4',
  ],
};

export default rule;
