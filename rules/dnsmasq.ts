import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'dnsmasq',
  services: ['dnsmasq'],
  daemons: ['dnsmasq'],
  summary: 'dnsmasq --keep-in-foreground; -x/--pid-file moves to the background arguments',
  route: 'init.d',
  // --pid-file with no value makes dnsmasq write no pid file at all; without it dnsmasq
  // writes its compiled-in /run/dnsmasq.pid, the path the wiki gives the supervisor.
  foreground: '--keep-in-foreground --pid-file',
  backgroundFlags: [
    { flag: '-x', value: true, why: 'pidfile' },
    { flag: '--pid-file', value: true, why: 'pidfile' },
  ],
  ownPidfile: '/run/dnsmasq.pid',
  signals: { reload: 'HUP', rotate: 'USR2' },
  notes: [
    "The wiki keeps pidfile=/var/run/dnsmasq.pid, which is also dnsmasq's compiled-in pid file: in the foreground dnsmasq would still write it over the supervisor's pid. rc-supervise adds a bare --pid-file (no pid file) to the foreground arguments.",
  ],
  sources: [
    'wiki: dnsmasq (command_args_background="-x ${pidfile}", command_args_foreground="--keep-in-foreground", reload HUP, rotate USR2)',
    'dnsmasq(8): -k, --keep-in-foreground; -x, --pid-file[=<path>] (default /var/run/dnsmasq.pid); SIGHUP re-reads hosts files; SIGUSR2 re-opens the log file',
    'docs/openrc.md §2 (pidfile belongs to the supervisor)',
  ],
};

export default rule;
