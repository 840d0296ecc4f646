import type { LoadedService } from '../../src/migrate/migrate.js';
import type { FixtureCase } from './fixtures.js';

const meta = { realPath: '', mode: 0o755, uid: 0, gid: 0, mtimeMs: 0 };

/** A fixture as the engine's loader would hand it over (no file system involved). */
export function loaded(
  fx: Pick<FixtureCase, 'svc' | 'initdIn' | 'confdIn'>,
  initd = fx.initdIn,
  confd = fx.confdIn,
): LoadedService {
  return {
    name: fx.svc,
    initdPath: `etc/init.d/${fx.svc}`,
    confdPath: `etc/conf.d/${fx.svc}`,
    initd: { ...meta, text: initd },
    confd: confd === null ? null : { ...meta, text: confd },
  };
}
