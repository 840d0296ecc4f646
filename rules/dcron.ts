import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'dcron',
  services: ['dcron'],
  // dcron's binary is /usr/sbin/crond, the same basename as cronie's crond: match by service name only.
  daemons: [],
  summary: 'Refused: dcron crashes when it runs under a supervisor.',
  route: 'init.d',
  refuse: {
    reason:
      'sys-process/dcron (4.5-r1) crashes without an error message when it is run under a supervisor (Gentoo wiki)',
    suggestion:
      'keep dcron under start-stop-daemon, or switch to a cron that can be supervised, e.g. sys-process/fcron or vixie-cron',
  },
  notes: [
    'The stock dcron script also has a custom start() that runs /usr/sbin/crond directly, which would be refused on its own (docs/openrc.md §4); the rule refuses before that, with the reason that matters.',
    'The wiki reports the crash for dcron 4.5-r1; later versions were not checked.',
  ],
  sources: ['wiki: dcron', 'docs/openrc.md §4'],
};

export default rule;
