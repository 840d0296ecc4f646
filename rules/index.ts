import type { ServiceRule } from '../src/rules/types.js';
import acpid from './acpid.js';
import avahi from './avahi-daemon.js';
import dnsmasq from './dnsmasq.js';
import sshd from './sshd.js';

/** Every rule module, explicitly: a rule not listed here does not exist. */
export const RULES: readonly ServiceRule[] = [acpid, avahi, dnsmasq, sshd];
