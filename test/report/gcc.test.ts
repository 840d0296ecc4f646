import gcc from '../../src/report/gcc.js';
import { ctx, FINDINGS } from './fixture.js';

describe('gcc formatter', () => {
  test('one line per finding, in the order given, gcc severity words', () => {
    expect(gcc(FINDINGS, ctx())).toBe(
      'etc/init.d/sshd:12:3: warning: reload() signals via the pidfile [ssd-signal]\n' +
        'etc/conf.d/sshd:2:1: note: SSHD_OPTS is set but empty [empty-option-var]\n' +
        'etc/init.d/sshd:3:1: error: command_args: 100% daemon, no -D add command_args_foreground="-D" [no-foreground]\n' +
        'etc/init.d/sshd:7:5: warning: respawn_max=0 means unlimited respawns [respawn-window]\n' +
        'etc/conf.d/sshd:5:10: warning: rc_need is empty [empty-option-var]\n',
    );
  });

  test('a CRLF or blank-line message still gives one line', () => {
    const out = gcc([{ ...FINDINGS[0], message: 'first\r\n\r\n  second\rthird' }], ctx());
    expect(out).toBe('etc/init.d/sshd:12:3: warning: first second third [ssd-signal]\n');
  });

  test('no findings: nothing', () => {
    expect(gcc([], ctx())).toBe('');
  });
});
