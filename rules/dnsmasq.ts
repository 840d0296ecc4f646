import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'dnsmasq',
  services: ['dnsmasq'],
  daemons: ['dnsmasq'],
  summary: 'dnsmasq --keep-in-foreground; -x/--pid-file moves to the background arguments',
  route: 'init.d',
  // Without -x dnsmasq writes its compiled-in /run/dnsmasq.pid, also in the foreground: the
  // path the wiki gives the supervisor. The supervisor gets a pid file of its own instead
  // (the pidfile step), so that dnsmasq's stays dnsmasq's for what else reads it (its
  // logrotate's postrotate sends USR2 through it). A bare --pid-file (no pid file at all)
  // would break those readers.
  foreground: '--keep-in-foreground',
  // dnsmasq(8): -k, --keep-in-foreground (Artix's script passes -k in command_args).
  foregroundAliases: ['-k'],
  backgroundFlags: [
    { flag: '-x', value: true, why: 'pidfile' },
    { flag: '--pid-file', value: true, why: 'pidfile' },
  ],
  ownPidfile: '/run/dnsmasq.pid',
  signals: { reload: 'HUP', rotate: 'USR2' },
  notes: [
    "The wiki keeps pidfile=/var/run/dnsmasq.pid, which is also dnsmasq's compiled-in pid file: in the foreground dnsmasq would still write it over the supervisor's pid. rc-supervise gives the supervisor a pid file of its own (/run/supervise-${RC_SVCNAME}.pid) and leaves dnsmasq's where its logrotate script and other tools look for it.",
  ],
  sources: [
    'dnsmasq(8), OPTIONS: -k, --keep-in-foreground: do not go into the background at startup (the short and long forms of one option)',
    'wiki: dnsmasq (command_args_background="-x ${pidfile}", command_args_foreground="--keep-in-foreground", reload HUP, rotate USR2)',
    'dnsmasq(8): -k, --keep-in-foreground; -x, --pid-file[=<path>] (default /var/run/dnsmasq.pid); SIGHUP re-reads hosts files; SIGUSR2 re-opens the log file',
    'docs/openrc.md §2 (pidfile belongs to the supervisor)',
  ],
};

export default rule;
