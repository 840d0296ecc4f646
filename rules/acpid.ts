import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'acpid',
  services: ['acpid'],
  daemons: ['acpid'],
  summary: 'acpid --foreground under supervise-daemon; reload through the supervisor',
  route: 'init.d',
  foreground: '--foreground',
  backgroundFlags: [
    { flag: '-p', value: true, why: 'pidfile' },
    { flag: '--pidfile', value: true, why: 'pidfile' },
  ],
  ownPidfile: '/run/acpid.pid',
  signals: { reload: 'HUP' },
  notes: [
    'The wiki adds pidfile="/run/acpid.pid" for the supervisor, but acpid writes that very file itself (its default pidfile, also in the foreground). rc-supervise adds no pidfile: supervise-daemon then uses /run/supervise-acpid.pid (OpenRC 0.40+).',
  ],
  sources: [
    'wiki: acpid (supervisor, command_args_foreground="--foreground", reload via ${supervisor} --signal HUP)',
    'acpid(8): -f, --foreground keeps acpid in the foreground; -p, --pidfile (default /var/run/acpid.pid); SIGHUP re-reads the event rules',
    'docs/openrc.md §2 (pidfile optional since 0.40; pidfile belongs to the supervisor)',
  ],
};

export default rule;
