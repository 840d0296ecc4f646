import type { ServiceRule } from '../src/rules/types.js';
const rule: ServiceRule = { id: 'avahi-daemon', services: ['avahi-daemon'], daemons: ['avahi-daemon'], summary: 'tmp', route: 'init.d', backgroundFlags: [{ flag: '-D', why: 'daemonize' }, { flag: '--daemonize', why: 'daemonize' }], sources: ['wiki'] };
export default rule;
