import type { Service } from './service.js';
import { atLeast, type Version } from './version.js';

/**
 * Names openrc-run runs or handles itself, never looked up in a command list (openrc-run.c,
 * openrc-run.sh): the actions and their hooks, and restart/zap/describe, which it handles in C.
 */
export const OPENRC_OWN_COMMANDS: ReadonlySet<string> = new Set([
  'start',
  'stop',
  'status',
  'depend',
  'start_pre',
  'start_post',
  'stop_pre',
  'stop_post',
  'healthcheck',
  'unhealthy',
  'restart',
  'zap',
  'describe',
  'condrestart',
  'conditionalrestart',
]);

/** What `rc-service <svc> <name>` can run by name (commandLists). */
export interface CommandLists {
  /** The names listed; null when a list is not known statically (anything may be listed). */
  names: ReadonlySet<string> | null;
  /** Whether the old `opts` counts (before OpenRC 0.39, while extra_commands is empty). */
  optsRead: boolean;
}

/**
 * The names openrc-run runs as extra commands: `${extra_commands:-$opts}`,
 * extra_started_commands, extra_stopped_commands (openrc-run.sh). From OpenRC 0.39 on
 * extra_commands is never empty there (supervise-daemon.sh, sourced before every service
 * script, sets it to "healthcheck unhealthy ${extra_commands}"), so `opts` is never read.
 */
export function commandLists(s: Service, target: Version): CommandLists {
  const extra = s.words('extra_commands');
  const optsRead = !atLeast(target, [0, 39, 0]) && extra !== null && extra.length === 0;
  const lists = [extra, s.words('extra_started_commands'), s.words('extra_stopped_commands')].concat(
    optsRead ? [s.words('opts')] : [],
  );
  if (lists.some((w) => w === null)) return { names: null, optsRead };
  return { names: new Set(lists.flatMap((w) => w ?? [])), optsRead };
}
