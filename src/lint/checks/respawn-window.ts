import type { Check } from '../check.js';

/** Seconds in a respawn value: plain seconds, or with a unit suffix (OpenRC 0.62+). */
function seconds(v: string | null | undefined): number | null {
  if (!v) return null;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

const check: Check = {
  meta: {
    id: 'respawn-window',
    defaultSeverity: 'warning',
    summary: 'respawn_delay × respawn_max exceeds respawn_period',
    fixable: 'none',
    docs: {
      what: 'respawn_delay multiplied by respawn_max is longer than respawn_period.',
      why: 'supervise-daemon counts respawns within respawn_period; if the delays alone exceed it, respawn_max can never be reached and a crash loop is never stopped (supervise-daemon warns about this itself).',
      example: {
        bad: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nrespawn_delay=10\nrespawn_max=5\nrespawn_period=30\n',
        good: '#!/sbin/openrc-run\ncommand=/usr/sbin/foo\nrespawn_delay=2\nrespawn_max=5\nrespawn_period=60\n',
      },
      fix: 'None: choose the numbers yourself.',
    },
  },
  run(ctx) {
    const s = ctx.service;
    const d = seconds(s.value('respawn_delay'));
    const m = seconds(s.value('respawn_max'));
    const p = seconds(s.value('respawn_period'));
    if (d === null || m === null || p === null || m === 0 || d * m <= p) return [];
    const a = s.initdAssignments('respawn_period').pop() ?? s.confdAssignments('respawn_period').pop();
    const inConfd = !s.initdAssignments('respawn_period').length;
    return [
      {
        in: inConfd ? 'confd' : 'initd',
        start: a?.start ?? 0,
        end: a?.end,
        message: `respawn_delay (${d}s) × respawn_max (${m}) = ${d * m}s is longer than respawn_period (${p}s): the respawn limit can never trigger`,
      },
    ];
  },
};
export default check;
