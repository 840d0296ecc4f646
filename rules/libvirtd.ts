import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'libvirtd',
  services: ['libvirtd'],
  daemons: ['libvirtd'],
  summary: 'Refused: libvirtd crashes when it runs under supervise-daemon.',
  route: 'init.d',
  refuse: {
    reason:
      'libvirtd, the server side of libvirt, crashes without an error message when it is run under supervise-daemon (Gentoo wiki)',
    suggestion: 'keep libvirtd under start-stop-daemon',
  },
  notes: [
    'The failure is not a missing foreground flag: libvirtd stays in the foreground without -d/--daemon (libvirtd(8)); the wiki reports that it crashes under the supervisor anyway.',
    "Only libvirtd is covered; libvirt's modular daemons (virtqemud, virtlogd, ...) were not checked.",
  ],
  sources: ['wiki: libvirtd', 'libvirtd(8): -d, --daemon: run as a daemon and write a pid file'],
};

export default rule;
