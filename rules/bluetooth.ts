import type { ServiceRule } from '../src/rules/types.js';

const rule: ServiceRule = {
  id: 'bluetooth',
  services: ['bluetooth'],
  daemons: ['bluetoothd'],
  summary: 'Set supervisor="supervise-daemon" in /etc/conf.d/bluetooth; bluetoothd already stays in the foreground.',
  route: 'conf.d',
  // Already in the foreground under start-stop-daemon: no words for command_args_foreground.
  foreground: '',
  notes: [
    'The stock script starts bluetoothd with command_background, i.e. bluetoothd does not fork by itself; command_background is ignored under supervise-daemon (docs/openrc.md §4), so supervisor= is all that is needed, as the wiki says.',
    'pidfile="/run/bluetoothd.pid" was written by start-stop-daemon --make-pidfile, not by bluetoothd, so supervise-daemon can use it for itself.',
    'The stock script sets no supervisor, no start_stop_daemon_args and no custom start(), so conf.d decides (docs/openrc.md §1). BLUETOOTH_OPTS from conf.d still reaches command_args.',
    'bluetoothd -n/--nodetach only keeps logging in the foreground in BlueZ 5 (its help text: "Run with logging in foreground"); it is not needed here. Not verified for BlueZ 4.',
  ],
  sources: [
    'wiki: bluetoothd',
    'bluetoothd(8): -n, --nodetach: run with logging in foreground',
    'docs/openrc.md §1',
    'docs/openrc.md §4',
  ],
};

export default rule;
