import { initParser } from '../../src/parse/parser.js';
import { readinessStep } from '../../src/steps/readiness.js';
import { ctx, draft, service, sh } from './helpers.js';

beforeAll(() => initParser());

const run = (...lines: string[]) =>
  readinessStep(ctx(service(sh('#!/sbin/openrc-run', 'command=/usr/sbin/food', ...lines))), draft());

// iscsid: start_post() logs in through the daemon's socket, which under supervise-daemon may
// not be there yet (the launcher returns once the child is spawned).
test('a start_post() that talks to a daemon which forked under start-stop-daemon is refused, naming the command', () => {
  const r = run('start_post() {', '\tfoodctl --login-all', '}');
  expect(r?.code).toBe('custom-start');
  expect(r?.reason).toMatch(/^start_post\(\) runs `foodctl --login-all` right after the start: /);
});

test('messages, checks, sleeps, bounded waits and OpenRC records are no race', () => {
  expect(
    run(
      'start_post() {',
      '\tewaitfile 10 /run/food.sock',
      '\tif pgrep food >/dev/null; then einfo up; fi',
      '\tservice_set_value x y',
      '\tsleep 1',
      '}',
    ),
  ).toBeUndefined();
});

test('start-stop-daemon backgrounded the daemon already (the race was there before): nothing to refuse', () => {
  expect(
    run('command_background=yes', 'pidfile=/run/food.pid', 'start_post() {', '\tfoodctl --login-all', '}'),
  ).toBeUndefined();
  expect(run('start_stop_daemon_args="-b -m"', 'start_post() {', '\tfoodctl --login-all', '}')).toBeUndefined();
});

// mailgraph's converted start(): start_post() gives the shell back the umask start_pre() saved.
// The builtin sets the script's own shell's mask; the daemon never had it (both supervisors give
// it 022 or --umask).
test("a start_post() that only restores the shell's umask is no race", () => {
  expect(run('start_post() {', '\tumask "${UMASK}"', '}')).toBeUndefined();
});
