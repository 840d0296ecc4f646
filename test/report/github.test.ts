import github, { escapeData, escapeProperty } from '../../src/report/github.js';
import { ctx, FINDINGS } from './fixture.js';

describe('github formatter', () => {
  test('workflow commands with escaping, in the order given', () => {
    expect(github(FINDINGS, ctx())).toBe(
      '::warning file=etc/init.d/sshd,line=12,col=3,endLine=12,endColumn=48,title=rc-supervise (ssd-signal)::reload() signals via the pidfile\n' +
        '::notice file=etc/conf.d/sshd,line=2,col=1,endLine=2,endColumn=13,title=rc-supervise (empty-option-var)::SSHD_OPTS is set but empty\n' +
        '::error file=etc/init.d/sshd,line=3,col=1,title=rc-supervise (no-foreground)::command_args: 100%25 daemon, no -D%0Aadd command_args_foreground="-D"\n' +
        '::warning file=etc/init.d/sshd,line=7,col=5,endLine=7,endColumn=18,title=rc-supervise (respawn-window)::respawn_max=0 means unlimited respawns\n' +
        '::warning file=etc/conf.d/sshd,line=5,col=10,endLine=5,endColumn=12,title=rc-supervise (empty-option-var)::rc_need is empty\n',
    );
  });

  test('escaping: data keeps , and : but properties do not', () => {
    expect(escapeData('100%, a:b\r\nc')).toBe('100%25, a:b%0D%0Ac');
    expect(escapeProperty('100%, a:b\r\nc')).toBe('100%25%2C a%3Ab%0D%0Ac');
    const line = github([{ ...FINDINGS[2], file: 'odd,dir/a:b%.sh' }], ctx());
    expect(
      line.startsWith('::error file=odd%2Cdir/a%3Ab%25.sh,line=3,col=1,title=rc-supervise (no-foreground)::'),
    ).toBe(true);
  });

  test('no findings: nothing', () => {
    expect(github([], ctx())).toBe('');
  });
});
