import type { Check } from '../check.js';
import commandArgsPidfile from './command-args-pidfile.js';
import crlf from './crlf.js';
import customStart from './custom-start.js';
import emptyOptionVar from './empty-option-var.js';
import extraCommandUnlisted from './extra-command-unlisted.js';
import bashism from './bashism.js';
import notExecutable from './not-executable.js';
import runscriptShebang from './runscript-shebang.js';
import noForeground from './no-foreground.js';
import openrcVersion from './openrc-version.js';
import pidfileCollision from './pidfile-collision.js';
import respawnWindow from './respawn-window.js';
import ssdArgsFallback from './ssd-args-fallback.js';
import ssdSignal from './ssd-signal.js';
import supervisorHardcoded from './supervisor-hardcoded.js';
import syntaxError from './syntax-error.js';
import shebangNotFirst from './shebang-not-first.js';
import retryNoKill from './retry-no-kill.js';

/** Every lint check, explicitly. Ids are stable: CI configs and suppressions name them. */
export const CHECKS: readonly Check[] = [
  syntaxError,
  shebangNotFirst,
  crlf,
  commandArgsPidfile,
  noForeground,
  ssdSignal,
  customStart,
  supervisorHardcoded,
  ssdArgsFallback,
  extraCommandUnlisted,
  emptyOptionVar,
  respawnWindow,
  openrcVersion,
  pidfileCollision,
  runscriptShebang,
  notExecutable,
  bashism,
  retryNoKill,
];
