import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidfileReadersOnRoot } from '../src/knowledge/logrotate.js';

// Files on the root that may signal a daemon through its pid file: logrotate's postrotate
// scripts (dnsmasq) and cron jobs (polipo's weekly cache expiry sends USR1/USR2).
test('logrotate.d and the cron job directories are read, in order, and nothing else', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rcs-readers-'));
  try {
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put('etc/logrotate.d/food', 'postrotate kill -HUP $(cat /run/food.pid)\n');
    put('etc/cron.weekly/food', 'kill -USR1 $(cat "/var/run/food${n}.pid")\n');
    put('etc/cron.d/bard', '0 * * * * root kill -HUP $(cat /run/bard.pid)\n');
    put('etc/default/food', 'kill -HUP $(cat /run/food.pid)\n');
    expect(pidfileReadersOnRoot(root).map((r) => r.path)).toEqual([
      'etc/logrotate.d/food',
      'etc/cron.d/bard',
      'etc/cron.weekly/food',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
