import { applyEdits } from '../../src/edit/edits.js';
import { composeHoist, hoistLeadingArgs } from '../../src/migrate/prepare.js';
import { initParser } from '../../src/parse/parser.js';
import { INITD, service, sh } from '../steps/helpers.js';

beforeAll(() => initParser());

// transmission-daemon: start_pre() sets command_args first, from the top's variables, then only
// adds to it; OpenRC's own start reads command_args after start_pre() (docs/openrc.md §2).
const head = [
  '#!/sbin/openrc-run',
  'command=/usr/bin/food',
  'config_dir=${config_dir:-/var/lib/food}',
  'pidfile=${pidfile:-/run/food.pid}',
  '',
];
const pre = (...body: string[]) =>
  sh(
    ...head,
    'start_pre() {',
    ...body,
    '\tif [ "${logfile}" != syslog ]; then',
    '\t\tcommand_args="${command_args} --logfile ${logfile}"',
    '\tfi',
    '\tcommand_args="${command_args} ${FOOD_OPTS}"',
    '}',
  );
const leading = '\tcommand_args="--config-dir ${config_dir} --pid-file ${pidfile}"';

test('the first line moves to the top, after what it reads; the additions stay', () => {
  const s = service(pre(leading, '\tcheckpath -d /run/food'));
  const h = hoistLeadingArgs(s, INITD)!;
  expect(h).toBeDefined();
  expect(applyEdits(s.initd.text, h.edits)).toBe(
    sh(
      ...head.slice(0, 4),
      'command_args="--config-dir ${config_dir} --pid-file ${pidfile}"',
      '',
      'start_pre() {',
      '\tcheckpath -d /run/food',
      '\tif [ "${logfile}" != syslog ]; then',
      '\t\tcommand_args="${command_args} --logfile ${logfile}"',
      '\tfi',
      '\tcommand_args="${command_args} ${FOOD_OPTS}"',
      '}',
    ),
  );
  expect(h.note).toContain('that first line now runs at the top of the script');
});

test.each([
  ["not start_pre()'s first statement", pre('\tcheckpath -d /run/food', leading)],
  ['under a condition', pre('\t[ -n "${x}" ] && command_args="--config-dir ${config_dir}"')],
  ['computed by a command substitution', pre('\tcommand_args="--threads $(nproc)"')],
  ['reading a variable a function sets', pre(leading.replace('${pidfile}', '${FOOD_PID}'), '\tFOOD_PID=/run/x.pid')],
  ['with a start() of the script', pre(leading) + sh('start() {', '\tdefault_start', '}')],
  ['set at the top too', pre(leading).replace('command=/usr/bin/food', 'command=/usr/bin/food\ncommand_args="-x"')],
  ['read by another function', pre(leading) + sh('status() {', '\teinfo "${command_args}"', '}')],
  ['replaced again later', pre(leading) + sh('start_post() {', '\tcommand_args="-y"', '}')],
  ['reading a variable OpenRC sets at run time', pre('\tcommand_args="--mode ${RC_CMD}"')],
  ['in a script that sources a file', pre(leading).replace('\n\nstart_pre', '\n. /etc/food.env\n\nstart_pre')],
])('not when the first line is %s', (_what, text) => {
  expect(hoistLeadingArgs(service(text), INITD)).toBeUndefined();
});

// The plan's edits are made on the hoisted text; the migration's edits must describe the change
// from the original: one on the moved line joins its insertion, the others shift.
test('composeHoist: the plan on the hoisted text, said on the original, gives the same text', () => {
  const s = service(pre(leading));
  const h = hoistLeadingArgs(s, INITD)!;
  const hoisted = applyEdits(s.initd.text, h.edits);
  const cut = hoisted.indexOf(' --pid-file ${pidfile}');
  const plan = [
    { file: INITD, start: cut, end: cut + ' --pid-file ${pidfile}'.length, text: '' },
    { file: INITD, start: h.at + h.line.length, end: h.at + h.line.length, text: 'supervisor=supervise-daemon\n' },
    { file: INITD, start: hoisted.length, end: hoisted.length, text: '# end\n' },
  ];
  const composed = composeHoist(h, s.initd.text, INITD, plan)!;
  expect(composed).toBeDefined();
  expect(applyEdits(s.initd.text, composed)).toBe(applyEdits(hoisted, plan));
  expect(composed[0].text).toBe('command_args="--config-dir ${config_dir}"\nsupervisor=supervise-daemon\n');
  // An edit across the moved line's end cannot be said on the original.
  const across = [{ file: INITD, start: h.at + 2, end: h.at + h.line.length + 3, text: 'x' }];
  expect(composeHoist(h, s.initd.text, INITD, across)).toBeUndefined();
});
