#!/usr/bin/env node
// Generates a deterministic, seeded corpus of OpenRC init.d + conf.d pairs for benchmarks.
//
//   node scripts/gen-corpus.mjs [--count N] [--seed S] [--out DIR] [--quiet]
//
// Writes the same N services in two layouts:
//   DIR/overlay/<cat>/<pkg>/files/<pkg>.initd + <pkg>.confd   (ebuild repository, for `lint`)
//   DIR/root/etc/init.d/<svc> (0755) + DIR/root/etc/conf.d/<svc> (for `migrate --all --root`)
// plus DIR/corpus.json (parameters, statistics, file lists, sha256; not part of the hash).
//
// The scripts are composed from the constructs of fixtures/**/init.d.in (written into this
// file, so the corpus does not change when a fixture does), with names, paths and options
// mutated and several templates mixed in one script. Randomness comes from an own seeded
// PRNG (sfc32), never Math.random, and nothing depends on the clock or directory order:
// the same --count and --seed give a byte-identical corpus (sha256 printed at the end).
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const o = { count: 2000, seed: '1', out: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--count' || a.startsWith('--count=')) o.count = Number(val());
    else if (a === '--seed' || a.startsWith('--seed=')) o.seed = String(val());
    else if (a === '--out' || a.startsWith('--out=')) o.out = val();
    else if (a === '--quiet' || a === '-q') o.quiet = true;
    else if (a === '--help' || a === '-h') usage(null);
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 200000) usage('--count must be an integer 1..200000');
  o.out ??= path.join(os.tmpdir(), `rc-supervise-corpus-${o.count}-${o.seed}`);
  return o;
}

function usage(err) {
  const text = 'usage: node scripts/gen-corpus.mjs [--count N (2000)] [--seed S (1)] [--out DIR] [--quiet]\n';
  if (err) {
    process.stderr.write(`gen-corpus: ${err}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

// ---------------------------------------------------------------- PRNG (sfc32, seeded by cyrb128)
function cyrb128(str) {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

class Rng {
  constructor(seed) {
    [this.a, this.b, this.c, this.d] = cyrb128(`rc-supervise-corpus:${seed}`);
    for (let i = 0; i < 20; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next() {
    let { a, b, c, d } = this;
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    Object.assign(this, { a, b, c, d });
    return (t >>> 0) / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** [[weight, value], ...] */
  weighted(pairs) {
    const total = pairs.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of pairs) {
      if ((x -= w) < 0) return v;
    }
    return pairs[pairs.length - 1][1];
  }
  sample(arr, n) {
    const copy = [...arr];
    const out = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------- vocabulary
const CATEGORIES = [
  'app-admin',
  'app-backup',
  'app-emulation',
  'app-misc',
  'dev-db',
  'dev-util',
  'games-server',
  'mail-filter',
  'mail-mta',
  'media-sound',
  'media-video',
  'net-analyzer',
  'net-dns',
  'net-firewall',
  'net-ftp',
  'net-im',
  'net-mail',
  'net-misc',
  'net-nds',
  'net-print',
  'net-proxy',
  'net-vpn',
  'net-wireless',
  'sys-apps',
  'sys-auth',
  'sys-cluster',
  'sys-fs',
  'sys-power',
  'sys-process',
  'www-servers',
  'x11-misc',
  'dev-lang',
  'net-libs',
  'sci-misc',
];
const SYL = [
  'zor',
  'quen',
  'bar',
  'flu',
  'mox',
  'tel',
  'vra',
  'ska',
  'lin',
  'dor',
  'pix',
  'nem',
  'gal',
  'rho',
  'tux',
  'kel',
  'wyn',
  'sor',
  'jab',
  'cri',
  'plo',
  'yar',
  'hex',
  'oru',
  'vik',
  'mal',
  'ten',
  'qua',
  'bri',
  'fen',
  'ost',
  'lum',
  'cap',
  'dri',
  'sna',
  'tor',
  'elk',
  'ama',
  'nix',
  'pol',
];
const SUFFIX = [
  'd',
  'd',
  'd',
  '-daemon',
  '-server',
  '-agent',
  '-proxy',
  '-exporter',
  'mon',
  '-relay',
  '-bridge',
  '-watch',
  '-sync',
  '',
  '-gw',
  'srv',
  '-collector',
  '-ng',
];
/** Daemons rc-supervise has a rule for (rules/*.ts), with where the packages install them. */
const KNOWN = [
  { svc: 'acpid', bin: '/usr/sbin/acpid', args: '${ACPID_ARGS}', reload: 'HUP' },
  { svc: 'avahi-daemon', bin: '/usr/sbin/avahi-daemon', args: '-D', reload: 'HUP' },
  { svc: 'bluetooth', bin: '/usr/libexec/bluetooth/bluetoothd', args: '${BLUETOOTH_OPTS}', bg: true },
  { svc: 'cups-browsed', bin: '/usr/sbin/cups-browsed', args: '', bg: true },
  { svc: 'cupsd', bin: '/usr/sbin/cupsd', args: '-f -c /etc/cups/cupsd.conf', ssd: '-b -m --pidfile ${pidfile}' },
  { svc: 'dbus', bin: '/usr/bin/dbus-daemon', args: '--system', reload: null },
  { svc: 'dcron', bin: '/usr/sbin/crond', args: '${DCRON_OPTS}' },
  { svc: 'dhcpcd', bin: '/sbin/dhcpcd', args: '-q' },
  { svc: 'dnsmasq', bin: '/usr/sbin/dnsmasq', args: '-x ${pidfile} ${DNSMASQ_OPTS}', reload: 'HUP', rotate: 'USR2' },
  { svc: 'fancontrol', bin: '/usr/sbin/fancontrol', args: '${FANCONTROL_CONFIGFILE}', ssd: '--background --wait 1000' },
  { svc: 'fcron', bin: '/usr/libexec/fcron', args: '-c /etc/fcron/fcron.conf ${FCRON_OPTS}', reload: 'HUP' },
  { svc: 'gerbera', bin: '/usr/bin/gerbera', args: '--port ${GERBERA_PORT}', bg: true },
  { svc: 'iwd', bin: '/usr/libexec/iwd', args: '', bg: true },
  { svc: 'libvirtd', bin: '/usr/sbin/libvirtd', args: '-d ${LIBVIRTD_OPTS}' },
  {
    svc: 'metalog',
    bin: '/usr/sbin/metalog',
    args: '--pidfile=${pidfile} --daemonize ${METALOG_OPTS}',
    reload: 'USR1',
  },
  { svc: 'mpd', bin: '/usr/bin/mpd', args: '${CFGFILE}', reload: 'HUP' },
  { svc: 'ntpd', bin: '/usr/sbin/ntpd', args: '-p ${pidfile} ${NTPD_OPTS}' },
  { svc: 'rngd', bin: '/usr/sbin/rngd', args: '' },
  {
    svc: 'sshd',
    bin: '/usr/sbin/sshd',
    args: '${SSHD_OPTS} -o PidFile=${pidfile} -f /etc/ssh/sshd_config',
    reload: 'HUP',
  },
  {
    svc: 'syslog-ng',
    bin: '/usr/sbin/syslog-ng',
    args: '--cfgfile /etc/syslog-ng/syslog-ng.conf ${SYSLOG_NG_OPTS}',
    reload: 'HUP',
  },
  { svc: 'tor', bin: '/usr/bin/tor', args: '--hush --runasdaemon 1 --PidFile "${pidfile}"', reload: 'HUP' },
  { svc: 'vixie-cron', bin: '/usr/sbin/cron', args: '' },
];
const BINDIRS = ['/usr/sbin', '/usr/sbin', '/usr/bin', '/sbin', '/usr/libexec', '/opt/__PKG__/bin', '/usr/lib/__PKG__'];
const NEED = ['localmount', 'net', 'dbus', 'hostname', 'netmount', 'localmount net', 'virtlogd', 'postgresql', 'redis'];
const USE = [
  'logger',
  'dns',
  'net',
  'clock',
  'entropy',
  'logger dns',
  'clock logger',
  'netmount nfsmount',
  'avahi-daemon',
  'mysql',
];
const AFTER = [
  'bootmisc',
  'firewall',
  'ntp-client',
  'iptables ip6tables',
  'modules',
  'coldplug',
  'urandom',
  'sshd',
  'mta',
];
const BEFORE = ['dns', 'nfs', 'netmount', 'localmount', 'xdm', 'dhcpcd net'];
const PROVIDE = ['logger', 'cron', 'dns', 'entropy', 'mta', 'ntp-client', 'net', 'x-display-manager', 'httpd'];
const KEYWORD = [
  '-jail',
  '-prefix',
  '-vserver',
  '-docker -lxc',
  '-shutdown',
  '-systemd-nspawn',
  '-prefix -vserver -jail',
];
const SIGNALS = ['HUP', 'USR1', 'USR2', 'WINCH', 'INT', 'TERM', 'SIGHUP', 'SIGUSR1'];
const EXTRA_CMDS = [
  'dump',
  'flush',
  'buffer',
  'unbuffer',
  'rotate',
  'reopen',
  'stats',
  'pause',
  'resume',
  'refresh',
  'backup',
  'compact',
  'drain',
];
const WORDS = (
  'the daemon reads its configuration once at start up and again when it receives a signal so a ' +
  'change to the file takes effect without a restart the service keeps its state under var lib and ' +
  'writes a pid file that the init system uses to find the process when it stops the package ships ' +
  'this script together with a conf file holding the options an administrator is expected to change ' +
  'listen address port user group log level cache size and timeouts are all read from there see the ' +
  'manual page for every option and the upstream documentation for examples of a complete setup'
).split(' ');

// ---------------------------------------------------------------- helpers
const T = '\t';

function ident(s) {
  return s
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function prose(rng, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(WORDS));
  return out.join(' ');
}

/** A comment block of `lines` lines, each wrapped prose. */
function commentBlock(rng, lines, ind = '') {
  const out = [];
  for (let i = 0; i < lines; i++) {
    let s = prose(rng, rng.int(5, 12));
    if (i === 0) s = s[0].toUpperCase() + s.slice(1);
    if (i === lines - 1) s += '.';
    out.push(`${ind}# ${s}`);
  }
  return out;
}

function sshdQuote(rng, s) {
  return rng.chance(0.8) ? `"${s}"` : s.includes(' ') || s.includes('$') ? `"${s}"` : s;
}

// ---------------------------------------------------------------- service specification
/**
 * Decides what one service is (kind, daemon, options); the text is built from it.
 * kinds: forking, fg-bg (unknown daemon, command_background=yes), known (has a rule),
 * ssd-args, supervised-initd, supervised-confd, custom-start, oneshot, direct, complex, tiny.
 */
function makeSpec(rng, svc, known) {
  const up = ident(svc);
  const kind = known
    ? 'known'
    : rng.weighted([
        [22, 'forking'],
        [17, 'fg-bg'],
        [8, 'ssd-args'],
        [8, 'supervised-initd'],
        [5, 'supervised-confd'],
        [9, 'custom-start'],
        [9, 'oneshot'],
        [5, 'direct'],
        [7, 'complex'],
        [10, 'tiny'],
      ]);
  const binName = known
    ? path.basename(known.bin)
    : rng.chance(0.7)
      ? svc.replace(/-(daemon|server)$/, 'd')
      : `${svc}d`;
  const bin = known ? known.bin : `${rng.pick(BINDIRS).replace('__PKG__', svc)}/${binName}`;
  const size = rng.weighted([
    [8, [5, 12]],
    [36, [13, 40]],
    [30, [41, 90]],
    [18, [91, 200]],
    [8, [201, 400]],
  ]);
  return {
    svc,
    up,
    kind: kind === 'tiny' ? 'tiny' : kind,
    known,
    bin,
    binName,
    target: kind === 'tiny' ? rng.int(5, 12) : rng.int(size[0], size[1]),
    indent: rng.chance(0.9) ? T : rng.pick(['    ', '  ']),
    shebang: rng.weighted([
      [94, '#!/sbin/openrc-run'],
      [3, '#!/usr/bin/openrc-run'],
      [3, '#!/sbin/runscript'],
    ]),
    crlf: rng.chance(0.03),
    confdCrlf: rng.chance(0.02),
    syntaxError: false, // set by generate()
    bashism: rng.chance(0.05),
    template: rng.chance(0.006),
    bom: rng.chance(0.003),
    noFinalNewline: rng.chance(0.01),
    pidfile: rng.pick([
      `/run/${svc}.pid`,
      `/run/${svc}/${svc}.pid`,
      '/run/${RC_SVCNAME}.pid',
      `/var/run/${binName}.pid`,
    ]),
    user: rng.chance(0.4) ? `${svc.replace(/-.*/, '')}:${svc.replace(/-.*/, '')}` : null,
  };
}

// ---------------------------------------------------------------- init.d building blocks
function header(rng, s) {
  const out = [s.shebang];
  const style = rng.weighted([
    [55, 'gentoo'],
    [20, 'plain'],
    [15, 'none'],
    [10, 'long'],
  ]);
  if (style === 'gentoo' || style === 'long') {
    out.push(`# Copyright ${rng.int(1999, 2025)}-2025 Gentoo Authors`);
    out.push(`# Distributed under the terms of the GNU General Public License v${rng.pick(['2', '2', '3'])}`);
  } else if (style === 'plain') out.push(`# ${s.svc}: ${prose(rng, rng.int(3, 7))}`);
  if (style === 'long') out.push('#', ...commentBlock(rng, rng.int(4, 18)));
  out.push('');
  return out;
}

/** `: ${X:=...}` defaults, some nested with command substitutions, as in sshd/syslog-ng/fcron. */
function defaults(rng, s, n) {
  const U = s.up;
  const pool = [
    () => `: \${${U}_CONFDIR:=\${RC_PREFIX%/}/etc/${s.svc}}`,
    () => `: \${${U}_CONFIG:=\${${U}_CONFDIR:-/etc/${s.svc}}/${s.svc}.conf}`,
    () => `: \${${U}_PIDFILE:=\${RC_PREFIX%/}/run/\${RC_SVCNAME}.pid}`,
    () => `: \${${U}_BINARY:=\${RC_PREFIX%/}${s.bin}}`,
    () => `: \${${U}_TERMTIMEOUT:=TERM/${rng.int(5, 90)}/KILL/${rng.int(2, 10)}}`,
    () => `: \${${U}_USER:=${s.svc.replace(/-.*/, '')}}`,
    () => `: \${${U}_GROUP:=\${${U}_USER}}`,
    () => `: \${${U}_STATEDIR:=/var/lib/\${RC_SVCNAME}}`,
    () => `: \${${U}_HOST:=\${${U}_LISTEN:-$(hostname -f 2>/dev/null || echo "local host")}}`,
    () =>
      `: \${${U}_DATADIR:=\${${U}_BASE:-$(awk -F= '/^datadir/ { print $2 }' "\${${U}_CONFIG:-/etc/${s.svc}.conf}" 2>/dev/null)}}`,
    () => `: \${${U}_NICE:=\${NICE:-$(printf '%s' "${rng.int(0, 19)}")}}`,
    () => `${U}_SSDARGS=\${${U}_SSDARGS:-"--background --wait ${rng.pick([500, 1000, 2000])}"}`,
    () => `${U}_INSTANCE="\${RC_SVCNAME#${s.svc}}"`,
    () => `: \${${U}_SSD_OPTS:=--wait ${rng.pick([500, 1000])}}`,
    () => `: \${${U}_LOGFILE:=/var/log/${s.svc}/\${RC_SVCNAME}.log}`,
    () => `export ${U}_HOME="/var/lib/${s.svc}"`,
  ];
  return rng.sample(pool, n).map((f) => f());
}

/** fcron-style instance handling: if/else around defaults. */
function instanceBlock(s) {
  const U = s.up;
  return [
    `# "${s.svc}" uses ${s.svc}.conf; an instance "${s.svc}.NAME" uses ${s.svc}.NAME.conf.`,
    `${U}_INSTANCE="\${RC_SVCNAME#${s.svc}}"`,
    `${U}_INSTANCE="\${${U}_INSTANCE#.}"`,
    `if [ -n "\${${U}_INSTANCE}" ]; then`,
    `${s.indent}: \${${U}_CONFIGFILE:=/etc/${s.svc}/${s.svc}.\${${U}_INSTANCE}.conf}`,
    'else',
    `${s.indent}: \${${U}_CONFIGFILE:=/etc/${s.svc}/${s.svc}.conf}`,
    'fi',
    '',
  ];
}

/** getconfig/get_config helpers (fcron, mpd). */
function configHelper(rng, s) {
  const i = s.indent;
  const U = s.up;
  if (rng.chance(0.5))
    return [
      `# Print the value of one ${s.svc}.conf setting (first match, without quotes).`,
      'get_config() {',
      `${i}[ -r "\${${U}_CONF:-/etc/${s.svc}.conf}" ] || return 1`,
      `${i}awk -v key="$1" '$1 == key { v = $2; gsub(/"/, "", v); print v; exit }' "\${${U}_CONF:-/etc/${s.svc}.conf}"`,
      '}',
      '',
    ];
  return [
    `# Print one "key = value" setting of ${s.svc}.conf, or the given fallback.`,
    'getconfig() {',
    `${i}local key="$1" fallback="$2" value=`,
    '',
    `${i}if service_started; then`,
    `${i}${i}value="$(service_get_value "\${key}")"`,
    `${i}fi`,
    `${i}if [ -z "\${value}" ] && [ -r "/etc/${s.svc}.conf" ]; then`,
    `${i}${i}value="$(sed -n -e "s:^\${key}[[:space:]]*=[[:space:]]*::p" "/etc/${s.svc}.conf")"`,
    `${i}fi`,
    `${i}echo "\${value:-\${fallback}}"`,
    '}',
    '',
  ];
}

function commandArgs(rng, s) {
  const U = s.up;
  if (s.known) return s.known.args;
  const opt = () =>
    rng.pick([
      `--config /etc/${s.svc}/${s.svc}.conf`,
      `-c /etc/${s.svc}.conf`,
      `--port ${rng.int(1024, 65000)}`,
      `--user ${s.svc.replace(/-.*/, '')}`,
      `--log-level ${rng.pick(['info', 'warn', 'debug'])}`,
      `--listen \${${U}_LISTEN:-127.0.0.1:${rng.int(1024, 65000)}}`,
      `--datadir "\${${U}_DATADIR:-/var/lib/${s.svc}}"`,
      '--syslog',
      `-t ${rng.int(1, 64)}`,
    ]);
  const parts = [];
  for (let k = rng.int(0, 3); k > 0; k--) parts.push(opt());
  if (s.kind === 'forking') parts.unshift(rng.pick(['-d', '--daemon', '-D', '--daemonize', '-b', '--fork']));
  if (s.kind === 'forking' && rng.chance(0.5))
    parts.push(rng.pick(['-p ${pidfile}', '--pidfile ${pidfile}', '--pid-file=${pidfile}', '-P "${pidfile}"']));
  parts.push(`\${${U}_OPTS}`);
  return parts.join(' ');
}

function depend(rng, s, big) {
  const i = s.indent;
  const out = ['depend() {'];
  const lines = [];
  if (rng.chance(0.8)) lines.push(`need ${rng.pick(NEED)}`);
  if (rng.chance(0.7)) lines.push(`use ${rng.pick(USE)}`);
  if (rng.chance(0.5)) lines.push(`after ${rng.pick(AFTER)}`);
  if (rng.chance(0.2)) lines.push(`before ${rng.pick(BEFORE)}`);
  if (rng.chance(0.2)) lines.push(`provide ${rng.pick(PROVIDE)}`);
  if (rng.chance(0.12)) lines.push(`keyword ${rng.pick(KEYWORD)}`);
  if (rng.chance(0.1)) lines.push(`config "\${${s.up}_CONFIG:-/etc/${s.svc}.conf}"`);
  if (!lines.length) lines.push('need localmount');
  out.push(...rng.sample(lines, lines.length).map((l) => i + l));
  if (big) {
    // sshd (gentoo) / netifrc style: conditional dependencies from the configuration.
    out.push(
      `${i}if [ "\${rc_need+set}" != "set" ]; then`,
      `${i}${i}local addr bound=`,
      `${i}${i}for addr in $(awk '/^Listen/ { print $2 }' "/etc/${s.svc}/${s.svc}.conf" 2>/dev/null); do`,
      `${i}${i}${i}case "\${addr}" in`,
      `${i}${i}${i}${i}0.0.0.0|0.0.0.0:*|::|\\[::\\]*) ;;`,
      `${i}${i}${i}${i}*) bound="\${bound} \${addr}" ;;`,
      `${i}${i}${i}esac`,
      `${i}${i}done`,
      `${i}${i}if [ -n "\${bound}" ]; then`,
      `${i}${i}${i}need net`,
      `${i}${i}${i}ewarn "${s.svc}.conf binds specific addresses:\${bound}"`,
      `${i}${i}${i}ewarn "add rc_need=\\"net.IFACE\\" to \${RC_PREFIX%/}/etc/conf.d/\${RC_SVCNAME}"`,
      `${i}${i}fi`,
      `${i}fi`,
    );
    if (rng.chance(0.6))
      out.push(
        `${i}case "\${${s.up}_BACKEND:-file}" in`,
        `${i}${i}postgres*|pgsql) need postgresql ;;`,
        `${i}${i}mysql|mariadb) use mysql ;;`,
        `${i}${i}redis) after redis ;;`,
        `${i}${i}file|*) ;;`,
        `${i}esac`,
      );
    if (rng.chance(0.4))
      out.push(`${i}if [ "\${RC_SVCNAME}" = "${s.svc}" ]; then`, `${i}${i}provide ${rng.pick(PROVIDE)}`, `${i}fi`);
  }
  out.push('}', '');
  return out;
}

/** A start-stop-daemon signal call, in the spellings the fixtures use. */
function ssdSignal(rng, s, sig, where = 'pidfile') {
  const i = s.indent;
  const ssd = rng.chance(0.1) ? '/sbin/start-stop-daemon' : 'start-stop-daemon';
  const sigOpt = rng.weighted([
    [70, `--signal ${sig}`],
    [20, `-s ${sig}`],
    [10, `--signal "${sig}"`],
  ]);
  const tgt =
    where === 'exec'
      ? `--exec "\${command}"`
      : rng.weighted([
          [60, '--pidfile "${pidfile}"'],
          [20, '--exec "${command}" --pidfile "${pidfile}"'],
          [10, `--pidfile ${s.pidfile}`],
          [10, '--name ' + s.binName],
        ]);
  if (rng.chance(0.4)) return [`${i}${ssd} ${sigOpt} \\`, `${i}${i}${tgt}`];
  return [`${i}${ssd} ${rng.chance(0.5) ? `${sigOpt} ${tgt}` : `${tgt} ${sigOpt}`}`];
}

function signalFunction(rng, s, name, sig, supervised) {
  const i = s.indent;
  const out = [`${name}() {`];
  if (name === 'reload' && s.hasCheckconfig && rng.chance(0.8))
    out.push(`${i}checkconfig || return ${rng.pick(['1', '$?'])}`);
  out.push(
    `${i}ebegin "${rng.pick([`Reloading \${RC_SVCNAME}`, `Sending SIG${sig.replace(/^SIG/, '')} to ${s.svc}`, `Running ${name} for ${s.svc}`])}"`,
  );
  if (supervised) out.push(`${i}\${supervisor} \${RC_SVCNAME} --signal ${sig}`);
  else {
    const v = rng.weighted([
      [78, 'ssd'],
      [8, 'kill'],
      [6, 'pkill'],
      [8, 'daemon'],
    ]);
    if (v === 'ssd') out.push(...ssdSignal(rng, s, sig));
    else if (v === 'kill') out.push(`${i}kill -${sig.replace(/^SIG/, '')} $(cat "\${pidfile}")`);
    else if (v === 'pkill') out.push(`${i}pkill -${sig.replace(/^SIG/, '')} -F "\${pidfile}"`);
    else out.push(`${i}"\${command}" ${rng.pick(['-r', '--reload', 'reload', '-s reload'])}`);
  }
  out.push(`${i}eend $?${rng.chance(0.3) ? ` "${name} failed"` : ''}`, '}', '');
  return out;
}

function checkconfig(rng, s) {
  const i = s.indent;
  const v = rng.int(0, 2);
  if (v === 0)
    return [
      'checkconfig() {',
      `${i}if ! "\${command}" ${rng.pick(['--test', '-t', '--check-config', '--verify-config --hush'])} \${${s.up}_OPTS} >/dev/null 2>&1; then`,
      `${i}${i}eerror "${s.svc} rejects the configuration"`,
      `${i}${i}return 1`,
      `${i}fi`,
      '}',
      '',
    ];
  if (v === 1) return ['checkconfig() {', `${i}"\${command}" -t \${command_args} || return 1`, '}', ''];
  return [
    'checkconfig() {',
    `${i}checkpath --mode 0755 --directory "\${RC_PREFIX%/}/var/empty"`,
    `${i}if [ ! -e "/etc/${s.svc}/${s.svc}.conf" ]; then`,
    `${i}${i}eerror "/etc/${s.svc}/${s.svc}.conf is missing"`,
    `${i}${i}return 1`,
    `${i}fi`,
    `${i}ebegin "Checking the ${s.svc} configuration"`,
    `${i}"\${command}" -t -c /etc/${s.svc}/${s.svc}.conf >/dev/null`,
    `${i}eend $? "${s.svc} -t found errors"`,
    '}',
    '',
  ];
}

function checkpaths(rng, s, n) {
  const i = s.indent;
  const own = s.user ?? 'root:root';
  const out = [];
  for (let k = 0; k < n; k++)
    out.push(
      rng.pick([
        `${i}checkpath -q -d -m 07${rng.pick(['55', '50', '00', '75'])} -o ${own} /run/${s.svc}`,
        `${i}checkpath --directory --owner ${own} --mode 0750 /var/lib/${s.svc}`,
        `${i}checkpath --file --owner ${own} --mode 0640 "/var/log/${s.svc}.log"`,
        `${i}checkpath -d -m 0700 -o "\${${s.up}_USER:-root}" "$(dirname "\${pidfile}")"`,
        `${i}checkpath --owner ${own} \\\n${i}${i}--mode 0644 \\\n${i}${i}--file /var/lib/misc/${s.svc}.leases`,
      ]),
    );
  return out;
}

/** A heredoc writing a runtime file, in the three spellings (<<EOF, <<-EOF, <<'EOF'). */
function heredoc(rng, s, lines) {
  const i = s.indent;
  const tag = rng.pick(['EOF', 'EOF', 'END', '__CONF__']);
  const style = rng.int(0, 2);
  const body = [];
  for (let k = 0; k < lines; k++)
    body.push(
      rng.pick([
        `listen = \${${s.up}_LISTEN:-0.0.0.0}`,
        `port = \${${s.up}_PORT:-${rng.int(1024, 65000)}}`,
        `user = ${s.svc}`,
        `datadir = /var/lib/${s.svc}`,
        `# ${prose(rng, rng.int(3, 8))}`,
        `log_level = ${rng.pick(['info', 'notice', 'debug'])}`,
        `pid_file = \${pidfile}`,
        `hostname = $(hostname)`,
        `max_clients = ${rng.int(1, 4096)}`,
        '',
      ]),
    );
  const file = `"/run/${s.svc}/${rng.pick(['runtime.conf', 'env', 'generated.ini'])}"`;
  if (style === 0) return [`${i}cat > ${file} <<${tag}`, ...body, tag];
  // <<- strips leading tabs only: body and terminator are tab-indented whatever the script uses.
  if (style === 1) return [`${i}cat > ${file} <<-${tag}`, ...body.map((b) => (b ? T + b : b)), `${T}${tag}`];
  return [`${i}cat > ${file} <<'${tag}'`, ...body, tag];
}

function caseBlock(rng, s, arms, ind) {
  const i = s.indent;
  const U = s.up;
  const out = [`${ind}case "\${${U}_${rng.pick(['MODE', 'ROLE', 'BACKEND', 'LOGTARGET'])}:-default}" in`];
  const names = rng.sample(
    [
      'server',
      'client',
      'relay',
      'standalone',
      'cluster',
      'syslog',
      'file',
      'stderr',
      'sqlite',
      'pgsql|postgres',
      'mysql|mariadb',
      'none',
      'debug',
      'quiet',
    ],
    arms,
  );
  for (const n of names) {
    if (rng.chance(0.5)) out.push(`${ind}${i}${n}) command_args="\${command_args} --${n.replace(/\|.*/, '')}" ;;`);
    else
      out.push(
        `${ind}${i}${n})`,
        `${ind}${i}${i}command_args="\${command_args} --${n.replace(/\|.*/, '')}"`,
        `${ind}${i}${i}${rng.pick(['einfo', 'ewarn', 'veinfo'])} "${s.svc}: ${n} mode"`,
        `${ind}${i}${i};;`,
      );
  }
  out.push(
    `${ind}${i}default) ;;`,
    `${ind}${i}*)`,
    `${ind}${i}${i}eerror "unknown mode \${${U}_MODE}"`,
    `${ind}${i}${i}return 1`,
    `${ind}${i}${i};;`,
    `${ind}esac`,
  );
  return out;
}

function startPre(rng, s, big) {
  const i = s.indent;
  const out = ['start_pre() {'];
  if (s.hasCheckconfig) out.push(`${i}checkconfig || return ${rng.pick(['1', '$?'])}`);
  out.push(...checkpaths(rng, s, rng.int(1, 3)));
  if (rng.chance(0.35)) {
    // rngd: build command_args from conf.d lists.
    out.push(
      `${i}local src opt`,
      '',
      `${i}for src in \${${s.up}_INCLUDE}; do`,
      `${i}${i}command_args="\${command_args} -n \${src}"`,
      `${i}done`,
      `${i}if [ -n "\${${s.up}_DEVICE}" ]; then`,
      `${i}${i}command_args="\${command_args} --device=\${${s.up}_DEVICE}"`,
      `${i}fi`,
    );
  }
  if (big && rng.chance(0.6)) out.push(...caseBlock(rng, s, rng.int(2, 6), i));
  if (big && rng.chance(0.5)) out.push(...heredoc(rng, s, rng.int(3, 12)));
  if (rng.chance(0.3))
    out.push(
      `${i}if [ ! -d "\${${s.up}_STATEDIR:-/var/lib/${s.svc}}" ]; then`,
      `${i}${i}ebegin "Creating the state directory"`,
      `${i}${i}"\${command}" --init "\${${s.up}_STATEDIR:-/var/lib/${s.svc}}"`,
      `${i}${i}eend $?`,
      `${i}fi`,
    );
  if (rng.chance(0.2)) out.push(`${i}return 0`);
  out.push('}', '');
  return out;
}

function startPost(rng, s) {
  const i = s.indent;
  if (rng.chance(0.5))
    return [
      'start_post() {',
      `${i}service_set_value ${rng.pick(['spooldir', 'fifofile', 'socket'])} "/run/${s.svc}/${s.svc}.sock"`,
      '}',
      '',
    ];
  return [
    'start_post() {',
    `${i}local n=0`,
    `${i}# Wait for the control socket before dependent services start.`,
    `${i}while [ ! -S "/run/${s.svc}/control" ]; do`,
    `${i}${i}n=$((n + 1))`,
    `${i}${i}[ \${n} -gt ${rng.int(5, 30)} ] && { eerror "no control socket"; return 1; }`,
    `${i}${i}sleep 1`,
    `${i}done`,
    '}',
    '',
  ];
}

function stopPre(rng, s) {
  const i = s.indent;
  return [
    'stop_pre() {',
    `${i}if [ "\${RC_CMD}" = "restart" ]; then`,
    rng.chance(0.5) ? `${i}${i}checkconfig || return $?` : `${i}${i}sleep 1`,
    `${i}fi`,
    ...(rng.chance(0.5) ? [`${i}return 0`] : []),
    '}',
    '',
  ];
}

function stopPost(rng, s) {
  const i = s.indent;
  return [
    'stop_post() {',
    `${i}[ ! -S "/run/${s.svc}/${s.svc}.sock" ] || rm -f "/run/${s.svc}/${s.svc}.sock"`,
    '}',
    '',
  ];
}

/** custom-start: start()/stop() doing more than one daemon (vpnbridge, dcron). */
function customStartStop(rng, s) {
  const i = s.indent;
  const dev = `tap-${s.svc.slice(0, 6)}`;
  const style = rng.int(0, 2);
  if (style === 0)
    return [
      'start() {',
      `${i}ebegin "Starting ${s.svc}"`,
      `${i}ip tuntap add dev ${dev} mode tap || { eend 1; return 1; }`,
      `${i}ip link set ${dev} master br0 up`,
      `${i}start-stop-daemon --start --exec ${s.bin} \\`,
      `${i}${i}--pidfile ${s.pidfile} --background --make-pidfile \\`,
      `${i}${i}-- --device ${dev} \${${s.up}_OPTS}`,
      `${i}eend $?`,
      '}',
      '',
      'stop() {',
      `${i}ebegin "Stopping ${s.svc}"`,
      `${i}start-stop-daemon --stop --pidfile ${s.pidfile}`,
      `${i}ip link delete ${dev}`,
      `${i}eend $?`,
      '}',
      '',
    ];
  if (style === 1)
    return [
      'start() {',
      `${i}ebegin "Starting \${RC_SVCNAME}"`,
      `${i}${s.bin} \${${s.up}_OPTS}`,
      `${i}eend $?`,
      '}',
      '',
      'stop() {',
      `${i}ebegin "Stopping \${RC_SVCNAME}"`,
      `${i}start-stop-daemon --stop --quiet \\`,
      `${i}${i}--pidfile ${s.pidfile} --exec ${s.bin}`,
      `${i}local ret=$?`,
      `${i}rm -f ${s.pidfile}`,
      `${i}eend \${ret}`,
      '}',
      '',
    ];
  return [
    'start() {',
    `${i}ebegin "Starting ${s.svc}"`,
    `${i}start-stop-daemon --start --quiet ${rng.pick(['--background --make-pidfile', '-b -m'])} --pidfile "\${pidfile:-${s.pidfile}}" \\`,
    `${i}${i}${rng.pick(['--user', '-u', '-c'])} ${s.user ?? 'nobody'} --exec ${s.bin} -- \${${s.up}_OPTS}`,
    `${i}eend $?`,
    '}',
    '',
    'stop() {',
    `${i}ebegin "Stopping ${s.svc}"`,
    `${i}start-stop-daemon ${rng.pick(['--stop', '-K'])} --retry ${rng.pick(['TERM/30/KILL/5', '30', 'SIGTERM/10'])} --pidfile "\${pidfile:-${s.pidfile}}"`,
    `${i}eend $?`,
    '}',
    '',
  ];
}

/** One-shot services: swap/localmount/alsasound. */
function oneshot(rng, s) {
  const i = s.indent;
  const out = [];
  const v = rng.int(0, 2);
  if (v === 0)
    out.push(
      'start() {',
      `${i}ebegin "Activating ${s.svc}"`,
      `${i}${s.binName} -a >/dev/null`,
      `${i}eend 0`,
      '}',
      '',
      'stop() {',
      `${i}ebegin "Deactivating ${s.svc}"`,
      `${i}${s.binName} -d -a >/dev/null`,
      `${i}eend 0`,
      '}',
      '',
    );
  else if (v === 1)
    out.push(
      'start() {',
      `${i}local types="noproc" fs`,
      '',
      `${i}# Network file systems wait for netmount.`,
      `${i}for fs in \${net_fs_list} \${extra_net_fs_list}; do`,
      `${i}${i}types="\${types},no\${fs}"`,
      `${i}done`,
      `${i}ebegin "Mounting ${s.svc} file systems"`,
      `${i}mount -at "\${types}" -O no_netdev`,
      `${i}eend $? "Some file systems failed to mount"`,
      '}',
      '',
      'stop() {',
      `${i}local mnt`,
      '',
      `${i}ebegin "Unmounting ${s.svc} file systems"`,
      `${i}for mnt in $(awk '{ print $2 }' /proc/mounts | sort -r); do`,
      `${i}${i}case "\${mnt}" in`,
      `${i}${i}${i}/|/dev|/dev/*|/proc|/proc/*|/run|/run/*|/sys|/sys/*|/usr|/usr/*) continue ;;`,
      `${i}${i}esac`,
      `${i}${i}umount "\${mnt}" 2>/dev/null`,
      `${i}done`,
      `${i}eend 0`,
      '}',
      '',
    );
  else
    out.push(
      'restore() {',
      `${i}ebegin "Restoring ${s.svc} state"`,
      `${i}if [ ! -r "\${${s.up}_STATE_DIR}/state" ]; then`,
      `${i}${i}ewarn "No \${${s.up}_STATE_DIR}/state yet"`,
      `${i}${i}eend 0`,
      `${i}${i}return 0`,
      `${i}fi`,
      `${i}${s.binName} -f "\${${s.up}_STATE_DIR}/state" restore \\`,
      `${i}${i}|| ewarn "${s.binName} could not restore everything"`,
      `${i}eend 0`,
      '}',
      '',
      'save() {',
      `${i}ebegin "Storing ${s.svc} state"`,
      `${i}checkpath -q -d -m 0755 "\${${s.up}_STATE_DIR}"`,
      `${i}${s.binName} -f "\${${s.up}_STATE_DIR}/state" store`,
      `${i}eend $?`,
      '}',
      '',
      'start() {',
      `${i}if yesno "\${RESTORE_ON_START}"; then`,
      `${i}${i}restore`,
      `${i}fi`,
      `${i}return 0`,
      '}',
      '',
      'stop() {',
      `${i}if yesno "\${SAVE_ON_STOP}"; then`,
      `${i}${i}save`,
      `${i}fi`,
      `${i}return 0`,
      '}',
      '',
    );
  return out;
}

/** avahi-style: the daemon's own flags start/stop/reload it. */
function directDaemon(rng, s) {
  const i = s.indent;
  return [
    'start() {',
    `${i}ebegin "Starting ${s.svc}"`,
    `${i}${s.bin} -D`,
    `${i}eend $?`,
    '}',
    '',
    'stop() {',
    `${i}ebegin "Stopping ${s.svc}"`,
    `${i}${s.bin} -k`,
    `${i}eend $?`,
    '}',
    '',
    'reload() {',
    `${i}ebegin "Reloading ${s.svc}"`,
    `${i}${s.bin} -r`,
    `${i}eend $?`,
    '}',
    '',
  ];
}

/** netifrc-style: sourced helper library, eval, loops over modules, nested case. */
function complexBody(rng, s) {
  const i = s.indent;
  const U = s.up;
  return [
    `SHDIR="/lib/${s.svc}/sh"`,
    `MODULESDIR="/lib/${s.svc}/modules"`,
    `_config_vars="config metric routes"`,
    '',
    '[ -z "${IN_BACKGROUND}" ] && IN_BACKGROUND="NO"',
    '',
    '. "${SHDIR}/functions.sh"',
    '',
    'get_instance() {',
    `${i}printf '%s\\n' "\${RC_SVCNAME#*.}"`,
    '}',
    '',
    '_load_modules() {',
    `${i}local mod`,
    '',
    `${i}MODULES=`,
    `${i}for mod in \${modules:-core ${rng.pick(['dhcp', 'static', 'bridge'])}}; do`,
    `${i}${i}[ -e "\${MODULESDIR}/\${mod}.sh" ] || continue`,
    `${i}${i}. "\${MODULESDIR}/\${mod}.sh" || return 1`,
    `${i}${i}MODULES="\${MODULES} \${mod}"`,
    `${i}done`,
    '}',
    '',
    'start() {',
    `${i}local INST="$(get_instance)" VAR conf mod`,
    '',
    `${i}VAR="$(shell_var "\${INST}")"`,
    `${i}eval conf=\\$config_\${VAR}`,
    `${i}einfo "Bringing up ${s.svc} \${INST}"`,
    `${i}eindent`,
    `${i}_load_modules || { eoutdent; return 1; }`,
    `${i}for mod in \${MODULES}; do`,
    `${i}${i}if is_function "\${mod}_pre_start"; then`,
    `${i}${i}${i}"\${mod}_pre_start" || { eoutdent; return 1; }`,
    `${i}${i}fi`,
    `${i}done`,
    `${i}for conf in \${conf:-default}; do`,
    `${i}${i}case "\${conf}" in`,
    `${i}${i}${i}dhcp) ${U.toLowerCase()}_dhcp_start || { eoutdent; return 1; } ;;`,
    `${i}${i}${i}null|noop) ;;`,
    `${i}${i}${i}*) ${U.toLowerCase()}_add "\${conf}" ;;`,
    `${i}${i}esac`,
    `${i}done`,
    `${i}eoutdent`,
    `${i}return 0`,
    '}',
    '',
    'stop() {',
    `${i}local INST="$(get_instance)" mod`,
    '',
    `${i}einfo "Bringing down ${s.svc} \${INST}"`,
    `${i}eindent`,
    `${i}_load_modules`,
    `${i}for mod in \${MODULES}; do`,
    `${i}${i}if is_function "\${mod}_stop"; then`,
    `${i}${i}${i}"\${mod}_stop"`,
    `${i}${i}fi`,
    `${i}done`,
    `${i}if [ -e "${s.pidfile}" ]; then`,
    `${i}${i}start-stop-daemon --stop --quiet --pidfile "${s.pidfile}"`,
    `${i}fi`,
    `${i}eoutdent`,
    `${i}return 0`,
    '}',
    '',
  ];
}

/** Padding blocks that real long scripts have: helpers with loops and long case statements. */
function filler(rng, s, k) {
  const i = s.indent;
  const U = s.up;
  const v = rng.int(0, 5);
  const name = `_${U.toLowerCase()}_${['opts', 'dirs', 'env', 'migrate', 'cleanup', 'validate'][v]}${k}`;
  if (v === 0) {
    const out = [
      `# Translate ${U}_FLAGS into command line options.`,
      `${name}() {`,
      `${i}local f`,
      `${i}for f in \${${U}_FLAGS}; do`,
      `${i}${i}case "\${f}" in`,
    ];
    for (const o of rng.sample(
      [
        'verbose',
        'quiet',
        'ipv4',
        'ipv6',
        'tls',
        'notls',
        'syslog',
        'stderr',
        'compress',
        'debug',
        'nocache',
        'strict',
        'legacy',
        'metrics',
      ],
      rng.int(3, 10),
    ))
      out.push(`${i}${i}${i}${o}) command_args="\${command_args} --${o}" ;;`);
    out.push(`${i}${i}${i}*) ewarn "${s.svc}: unknown flag \${f}" ;;`, `${i}${i}esac`, `${i}done`, '}', '');
    return out;
  }
  if (v === 1) {
    const out = [`${name}() {`, `${i}local d`];
    out.push(`${i}for d in /var/lib/${s.svc} /var/cache/${s.svc} /var/log/${s.svc} \\`, `${i}${i}/run/${s.svc}; do`);
    out.push(`${i}${i}checkpath -q -d -m 0750 -o ${s.user ?? 'root:root'} "\${d}" || return 1`, `${i}done`, '}', '');
    return out;
  }
  if (v === 2) return [`${name}() {`, ...heredoc(rng, s, rng.int(4, 20)), '}', ''];
  if (v === 3) {
    const out = [...commentBlock(rng, rng.int(2, 6)), `${name}() {`];
    out.push(`${i}local from="/var/lib/${s.svc}.old" to="/var/lib/${s.svc}"`, `${i}[ -d "\${from}" ] || return 0`);
    out.push(
      `${i}if [ -n "$(ls -A "\${to}" 2>/dev/null)" ]; then`,
      `${i}${i}ewarn "both \${from} and \${to} exist; using \${to}"`,
      `${i}${i}return 0`,
      `${i}fi`,
    );
    out.push(
      `${i}ebegin "Moving \${from} to \${to}"`,
      `${i}mv "\${from}"/* "\${to}"/ && rmdir "\${from}"`,
      `${i}eend $?`,
      '}',
      '',
    );
    return out;
  }
  if (v === 4) {
    const out = [
      `${name}() {`,
      `${i}local f`,
      `${i}find "/var/cache/${s.svc}" -type f -mtime +${rng.int(1, 30)} 2>/dev/null |`,
      `${i}while read -r f; do`,
      `${i}${i}rm -f -- "\${f}"`,
      `${i}done`,
    ];
    out.push(`${i}\`which ${s.binName}\` --version >/dev/null 2>&1 || true`, '}', '');
    return out;
  }
  const out = [`${name}() {`, `${i}local ret=0`, ...caseBlock(rng, s, rng.int(3, 9), i)];
  out.push(`${i}[ $((ret + ${rng.int(0, 3)})) -eq 0 ] || return 1`, '}', '');
  return out;
}

function bashismLines(rng, s) {
  const i = s.indent;
  return rng.pick([
    [
      `${s.up.toLowerCase()}_check() {`,
      `${i}if [[ -z "\${${s.up}_OPTS}" ]]; then`,
      `${i}${i}ewarn "no options"`,
      `${i}fi`,
      '}',
      '',
    ],
    [`function ${s.up.toLowerCase()}_clean {`, `${i}rm -f /run/${s.svc}/*.sock &>/dev/null`, '}', ''],
    [`${s.up.toLowerCase()}_fix() {`, `${i}local v="\${${s.up}_OPTS//,/ }"`, `${i}echo "\${v}"`, '}', ''],
    [
      `${s.up.toLowerCase()}_key() {`,
      `${i}read -r key <<< "$(cat /etc/${s.svc}/key)"`,
      `${i}echo $'key:\\t'"\${key}"`,
      '}',
      '',
    ],
  ]);
}

// ---------------------------------------------------------------- whole init.d script
function buildInitd(rng, s) {
  const i = s.indent;
  if (s.kind === 'tiny') {
    const out = [s.shebang];
    const body = [
      `command="${s.bin}"`,
      `command_args="${rng.pick(['-f', '--foreground', '-n', `-c /etc/${s.svc}.conf`, ''])}"`,
      rng.chance(0.5) ? 'command_background="yes"' : `pidfile="${s.pidfile}"`,
      rng.chance(0.5) ? `pidfile="${s.pidfile}"` : `description="${prose(rng, 3)}"`,
      `name="${s.svc}"`,
      rng.chance(0.3) ? 'supervisor="supervise-daemon"' : `command_user="${s.user ?? 'nobody'}"`,
    ];
    const n = Math.max(4, s.target - 1);
    for (let k = 0; out.length < 1 + n && k < body.length; k++) out.push(body[k]);
    while (out.length < s.target) out.push(`# ${prose(rng, 5)}`);
    return out;
  }
  const out = header(rng, s);
  const supervisedInit = s.kind === 'supervised-initd';
  const hasCommand = !['custom-start', 'oneshot', 'direct', 'complex'].includes(s.kind);
  s.hasCheckconfig = hasCommand && rng.chance(0.35);
  const big = s.target > 90;

  // Extra commands: some get a function that signals with start-stop-daemon.
  const extras = [];
  if (hasCommand) {
    if (s.known?.reload || rng.chance(0.45))
      extras.push(['reload', s.known?.reload ?? rng.pick(['HUP', 'HUP', 'HUP', 'USR1', 'SIGHUP'])]);
    if (s.known?.rotate || rng.chance(0.15))
      extras.push(['rotate', s.known?.rotate ?? rng.pick(['USR1', 'USR2', 'HUP'])]);
    for (const c of rng.sample(
      EXTRA_CMDS.filter((x) => x !== 'rotate'),
      big ? rng.int(0, 3) : rng.int(0, 1),
    ))
      extras.push([c, rng.pick(SIGNALS)]);
  }

  // Preamble: defaults before the variables (sshd/syslog-ng), instance handling, helpers.
  if (s.kind !== 'oneshot' && rng.chance(0.45)) out.push(...defaults(rng, s, rng.int(1, big ? 8 : 4)), '');
  if (rng.chance(0.08)) out.push(...instanceBlock(s));
  if (rng.chance(0.1)) out.push(...configHelper(rng, s));
  if (s.kind === 'complex') out.push(...complexBody(rng, s).slice(0, 8));

  // Variables.
  const vars = [];
  if (rng.chance(0.9)) vars.push(`description="${prose(rng, rng.int(2, 7)).replace(/^./, (c) => c.toUpperCase())}"`);
  const started = extras.map(([c]) => c);
  if (s.hasCheckconfig) vars.push('extra_commands="checkconfig"');
  if (started.length) {
    // Now and then a command is not listed (extra-command-unlisted).
    const listed = rng.chance(0.05) && started.length > 1 ? started.slice(1) : started;
    vars.push(`extra_started_commands="${listed.join(' ')}"`);
    for (const c of started) if (rng.chance(0.35)) vars.push(`description_${c}="${prose(rng, rng.int(3, 6))}"`);
  }
  if (s.kind === 'oneshot' && rng.chance(0.4))
    vars.push('extra_commands="save restore"', `: \${${s.up}_STATE_DIR:=/var/lib/${s.svc}}`);
  if (hasCommand) {
    if (supervisedInit) vars.push(`supervisor=${sshdQuote(rng, 'supervise-daemon')}`);
    vars.push(
      `command=${rng.chance(0.85) ? `"${s.bin}"` : rng.chance(0.5) ? s.bin : `"\${${s.up}_BINARY:-${s.bin}}"`}`,
    );
    const args = commandArgs(rng, s);
    if (args && rng.chance(0.12)) {
      // gerbera: a multi-line quoted value.
      const parts = args.split(/ (?=-)/);
      vars.push(`command_args="${parts.join(`\n${i}`)}"`);
    } else if (args || rng.chance(0.3)) vars.push(`command_args="${args}"`);
    if (supervisedInit)
      vars.push(`command_args_foreground="${rng.pick(['--foreground', '-f', '--nodaemon', '-n', '--no-daemon'])}"`);
    if (rng.chance(0.08)) vars.push(`command_args_background="--pid-file \${pidfile} --background"`);
    if (s.user && rng.chance(0.8)) vars.push(`command_user="${s.user}"`);
    else if (rng.chance(0.02)) vars.push('command_user=""');
    if (s.kind === 'fg-bg' || s.known?.bg)
      vars.push(`command_background=${rng.pick(['"yes"', 'yes', '"true"', 'true', '"YES"'])}`);
    if (rng.chance(0.92) || s.kind === 'fg-bg')
      vars.push(`pidfile="${rng.chance(0.2) ? '${' + s.up + '_PIDFILE:-' + s.pidfile + '}' : s.pidfile}"`);
    if (s.kind === 'ssd-args' || s.known?.ssd)
      vars.push(
        `start_stop_daemon_args="${s.known?.ssd ?? rng.pick(['-b -m --pidfile ${pidfile}', '--wait 1000', '--background --make-pidfile', `--env HOME=/var/lib/${s.svc} --wait 500`, `\${${s.up}_SSDARGS}`, '--user ${command_user} --quiet'])}"`,
      );
    else if (rng.chance(0.06))
      vars.push(`start_stop_daemon_args=\${${s.up}_SSDARGS:-"--wait ${rng.pick([500, 1000])}"}`);
    if (rng.chance(0.3))
      vars.push(
        `retry="${rng.pick(['TERM/30/KILL/5', 'SIGKILL/5000', '${' + s.up + '_TERMTIMEOUT}', '10', 'TERM/60/KILL/5'])}"`,
      );
    if (rng.chance(0.07)) vars.push(`stopsig=${rng.pick(['INT', 'QUIT', 'SIGTERM'])}`);
    if (rng.chance(0.05)) vars.push('command_progress=yes');
    if (rng.chance(0.15)) vars.push(`required_files="/etc/${s.svc}/${s.svc}.conf"`);
    if (rng.chance(0.06)) vars.push(`required_dirs="/var/lib/${s.svc}"`);
    if (rng.chance(0.05)) vars.push(`output_log="/var/log/${s.svc}.log"`, `error_log="/var/log/${s.svc}.err"`);
    if (rng.chance(0.03)) vars.push(`umask=${rng.pick(['027', '0077'])}`);
    if (rng.chance(0.02)) vars.push(`capabilities="^cap_net_bind_service"`);
    if (rng.chance(0.015)) vars.push(`output_logger="logger -t ${s.svc}"`);
    if (supervisedInit && rng.chance(0.4))
      vars.push(
        `respawn_delay=${rng.int(1, 10)}`,
        `respawn_max=${rng.int(0, 10)}`,
        `respawn_period=${rng.int(10, 120)}`,
      );
    if (supervisedInit && rng.chance(0.1)) vars.push(`healthcheck_timer=${rng.int(10, 60)}`);
  }
  if (rng.chance(0.15)) vars.push(`${s.svc.replace(/\W/g, '_')}_socket="/run/${s.svc}/${s.svc}.sock"`);
  const shuffled = rng.chance(0.3) ? rng.sample(vars, vars.length) : vars;
  // A blank line between groups, as packages do.
  for (const [k, v] of shuffled.entries()) {
    out.push(v);
    if (k < shuffled.length - 1 && rng.chance(0.15)) out.push('');
  }
  out.push('');
  if (s.bashism) out.push(...bashismLines(rng, s));

  // Functions.
  const fns = [];
  fns.push(depend(rng, s, big && rng.chance(0.7)));
  if (s.hasCheckconfig) fns.push(checkconfig(rng, s));
  if (s.kind === 'custom-start') fns.push(customStartStop(rng, s));
  if (s.kind === 'oneshot') fns.push(oneshot(rng, s));
  if (s.kind === 'direct') fns.push(directDaemon(rng, s));
  if (s.kind === 'complex') fns.push(complexBody(rng, s).slice(8));
  if (hasCommand && (s.hasCheckconfig || rng.chance(0.45))) fns.push(startPre(rng, s, big));
  if (hasCommand && rng.chance(0.15)) fns.push(startPost(rng, s));
  if (hasCommand && rng.chance(0.15)) fns.push(stopPre(rng, s));
  if (rng.chance(0.15)) fns.push(stopPost(rng, s));
  for (const [c, sig] of extras) fns.push(signalFunction(rng, s, c, sig, supervisedInit));
  if (s.template) fns.push(['cleanup_tmp() {', `${i}rm -rf @LOCALSTATEDIR@/lib/${s.svc}/tmp`, '}', '']);
  for (const f of fns) out.push(...f);

  // Pad to the target size with the helpers long scripts have, before the last function.
  for (let k = 0, tries = 0; out.length < s.target - 4 && tries < 40; tries++) {
    const block = filler(rng, s, k);
    if (out.length + block.length > Math.min(s.target + 8, 400)) continue;
    out.push(...block);
    k++;
  }
  while (out.length < s.target) out.push(`# ${prose(rng, rng.int(4, 10))}`);
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

// ---------------------------------------------------------------- conf.d
function buildConfd(rng, s) {
  const U = s.up;
  const out = [];
  if (rng.chance(0.03)) return [`# /etc/conf.d/${s.svc}`];
  out.push(`# /etc/conf.d/${s.svc}${rng.chance(0.4) ? `: settings for /etc/init.d/${s.svc}` : ''}`, '');
  const blocks = [];
  blocks.push([
    ...commentBlock(rng, rng.int(1, 3)),
    `${rng.chance(0.4) ? '#' : ''}${U}_OPTS="${rng.pick(['', '--verbose', `-c /etc/${s.svc}.conf`, '-g -u ntp:ntp', `--user=${s.svc} --group=${s.svc}`])}"`,
  ]);
  if (rng.chance(0.3))
    blocks.push([
      `# Listen address.`,
      `${U}_LISTEN="${rng.pick(['127.0.0.1', '0.0.0.0', '[::1]'])}:${rng.int(1024, 65000)}"`,
    ]);
  if (rng.chance(0.2)) blocks.push([`#${U}_CONFIGFILE="/etc/${s.svc}.conf"`]);
  if (rng.chance(0.2)) blocks.push(['# Options for start-stop-daemon.', `#${U}_SSDARGS="--background --wait 1000"`]);
  if (rng.chance(0.12))
    blocks.push([
      `${U}_FLAGS="${rng.sample(['verbose', 'ipv6', 'tls', 'syslog', 'compress'], rng.int(1, 3)).join(' ')}"`,
    ]);
  if (rng.chance(0.08))
    blocks.push([`${U}_OPTIONS="--first`, `${s.indent}--second \${${U}_LISTEN}`, `${s.indent}--third"`]);
  if (rng.chance(0.15))
    blocks.push(['# A busy instance needs many open files.', `rc_ulimit="-n ${rng.pick([4096, 30000, 65536])}"`]);
  if (rng.chance(0.1)) blocks.push([`rc_need="${rng.pick(['net.eth0', 'postgresql', 'net.wlan0 dbus'])}"`]);
  if (rng.chance(0.05)) blocks.push([`rc_after="${rng.pick(AFTER)}"`]);
  if (s.kind === 'supervised-confd' || (s.kind !== 'oneshot' && rng.chance(0.03))) {
    const b = ['# Keep it running: supervise-daemon restarts it when it dies.', `supervisor="supervise-daemon"`];
    if (rng.chance(0.7)) b.push(`respawn_delay=${rng.int(1, 10)}`);
    if (rng.chance(0.5)) b.push(`respawn_max=${rng.int(0, 10)}`, `respawn_period=${rng.int(10, 120)}`);
    blocks.push(b);
  }
  if (rng.chance(0.015)) blocks.push(['command_user=""']);
  if (rng.chance(0.05)) blocks.push([`#output_log="/var/log/${s.svc}.log"`]);
  if (rng.chance(0.1)) blocks.push(commentBlock(rng, rng.int(3, 12)));
  if (rng.chance(0.05))
    blocks.push([
      `if [ "\${RC_SVCNAME}" != "${s.svc}" ]; then`,
      `${s.indent}${U}_OPTS="\${${U}_OPTS} --instance \${RC_SVCNAME#*.}"`,
      'fi',
    ]);
  for (const [k, b] of blocks.entries()) {
    out.push(...b);
    if (k < blocks.length - 1) out.push('');
  }
  return out;
}

// ---------------------------------------------------------------- mutations
/** ~2% of scripts: break the syntax in one of the ways real scripts are broken. */
function breakSyntax(rng, lines) {
  const idx = (re) => {
    const all = [];
    lines.forEach((l, k) => re.test(l) && all.push(k));
    return all.length ? rng.pick(all) : -1;
  };
  const v = rng.int(0, 5);
  let k;
  if (v === 0 && (k = idx(/^\s*fi$/)) >= 0)
    lines.splice(k, 1); // if without fi
  else if (v === 1 && (k = idx(/^\}$/)) >= 0)
    lines.splice(k, 1); // function without }
  else if (v === 2 && (k = idx(/^\s*esac$/)) >= 0) lines.splice(k, 1);
  else if (v === 3 && (k = idx(/^\s*done$/)) >= 0) lines[k] = lines[k].replace('done', 'don');
  else if (v === 4 && (k = idx(/^command(_args)?="[^"]*"$/)) >= 0)
    lines[k] = lines[k].slice(0, -1); // unterminated quote
  else {
    // Stray `;;` / unbalanced paren at top level.
    k = Math.min(lines.length, 3);
    lines.splice(k, 0, rng.pick([';;', 'if [ -n "$x" ]; then', 'start_pre() {', 'case "$1" in']));
  }
  return lines;
}

function finish(s, lines, crlf, { bom = false, noFinalNewline = false } = {}) {
  let text = lines.join('\n') + (noFinalNewline ? '' : '\n');
  if (crlf) text = text.replace(/\n/g, '\r\n');
  if (bom) text = '\uFEFF' + text;
  return text;
}

// ---------------------------------------------------------------- names
function makeNames(rng, count) {
  const used = new Set();
  const out = [];
  const knownTaken = new Set();
  for (let n = 0; n < count; n++) {
    let known = null;
    let name;
    if (rng.chance(0.12)) {
      known = rng.pick(KNOWN);
      // The real service name once, mutated names (instances, forks) afterwards.
      name = knownTaken.has(known.svc)
        ? `${known.svc}${rng.pick(['-', '.', '_', '-', ''])}${rng.pick(['jail', 'chroot', 'internal', 'dmz', 'alt', 'lab', 'backup'])}${rng.int(1, 99)}`
        : known.svc;
      knownTaken.add(known.svc);
    } else {
      const sy = rng.int(1, 3);
      name = '';
      for (let k = 0; k < sy; k++) name += rng.pick(SYL);
      name += rng.pick(SUFFIX);
    }
    let base = name;
    for (let k = 2; used.has(name); k++) name = `${base}${k}`;
    used.add(name);
    out.push({ name, known, cat: rng.pick(CATEGORIES) });
  }
  return out;
}

// ---------------------------------------------------------------- main
function prepareOut(dir) {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length && !entries.includes('corpus.json'))
      throw new Error(`${dir} exists, is not empty and is not a corpus directory (no corpus.json); not touching it`);
    for (const e of ['overlay', 'root', 'corpus.json']) rmSync(path.join(dir, e), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

export function generate({ count, seed, out }) {
  const rng = new Rng(seed);
  prepareOut(out);
  const names = makeNames(rng, count);
  // Exactly ~2% of the init scripts get a syntax error (chosen here, not per service, so the
  // share does not drift with the seed).
  const brokenIdx = new Set(rng.sample([...Array(count).keys()], Math.round(count * 0.02)));
  const files = []; // { rel, mode, text }
  const stats = {
    kinds: {},
    crlf: 0,
    syntaxErrors: 0,
    bashisms: 0,
    supervised: 0,
    commandBackground: 0,
    ssdCalls: 0,
    heredocs: 0,
    caseStatements: 0,
    lines: [],
  };
  const services = [];
  const broken = [];
  const crlfServices = [];
  for (const [idx, { name, known, cat }] of names.entries()) {
    // Each service draws from its own stream so that one change does not shift all others.
    const r = new Rng(`${seed}/${name}`);
    const s = makeSpec(r, name, known);
    s.syntaxError = brokenIdx.has(idx);
    let init = buildInitd(r, s);
    if (s.syntaxError) init = breakSyntax(r, init);
    const conf = buildConfd(r, s);
    const initText = finish(s, init, s.crlf, { bom: s.bom, noFinalNewline: s.noFinalNewline });
    const confText = finish(s, conf, s.confdCrlf || (s.crlf && r.chance(0.5)));
    const ovl = `overlay/${cat}/${name}/files/${name}`;
    files.push({ rel: `${ovl}.initd`, mode: 0o644, text: initText });
    files.push({ rel: `${ovl}.confd`, mode: 0o644, text: confText });
    files.push({ rel: `root/etc/init.d/${name}`, mode: 0o755, text: initText });
    files.push({ rel: `root/etc/conf.d/${name}`, mode: 0o644, text: confText });
    services.push(name);
    if (s.syntaxError) broken.push(name);
    stats.kinds[s.kind] = (stats.kinds[s.kind] ?? 0) + 1;
    stats.crlf += s.crlf ? 1 : 0;
    if (s.crlf) crlfServices.push(name);
    stats.syntaxErrors += s.syntaxError ? 1 : 0;
    stats.bashisms += s.bashism ? 1 : 0;
    stats.supervised += /^supervisor=/m.test(initText + confText) ? 1 : 0;
    stats.commandBackground += /^command_background=/m.test(initText) ? 1 : 0;
    stats.ssdCalls += (initText.match(/^\s*\S*start-stop-daemon /gm) ?? []).length;
    stats.heredocs += (initText.match(/<<-?'?[A-Z_]+'?$/gm) ?? []).length;
    stats.caseStatements += (initText.match(/^\s*case /gm) ?? []).length;
    stats.lines.push(initText.split('\n').length - (initText.endsWith('\n') ? 1 : 0));
  }

  const hash = createHash('sha256');
  let bytes = 0;
  for (const f of [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    const abs = path.join(out, f.rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, f.text);
    chmodSync(abs, f.mode);
    const buf = Buffer.from(f.text, 'utf8');
    bytes += buf.length;
    hash.update(`${f.rel}\0${f.mode.toString(8)}\0${buf.length}\0`);
    hash.update(buf);
  }
  const sha256 = hash.digest('hex');
  const sorted = [...stats.lines].sort((a, b) => a - b);
  const summary = {
    count,
    seed: String(seed),
    sha256,
    files: files.length,
    bytes,
    lines: {
      min: sorted[0],
      median: sorted[sorted.length >> 1],
      p90: sorted[Math.floor(sorted.length * 0.9)],
      max: sorted[sorted.length - 1],
      total: sorted.reduce((a, b) => a + b, 0),
    },
    kinds: Object.fromEntries(Object.entries(stats.kinds).sort()),
    crlf: stats.crlf,
    syntaxErrors: stats.syntaxErrors,
    bashisms: stats.bashisms,
    supervised: stats.supervised,
    commandBackground: stats.commandBackground,
    ssdCalls: stats.ssdCalls,
    heredocs: stats.heredocs,
    caseStatements: stats.caseStatements,
  };
  const overlayInitd = files
    .filter((f) => f.rel.startsWith('overlay/') && f.rel.endsWith('.initd'))
    .map((f) => f.rel)
    .sort();
  const overlayConfd = files
    .filter((f) => f.rel.startsWith('overlay/') && f.rel.endsWith('.confd'))
    .map((f) => f.rel)
    .sort();
  writeFileSync(
    path.join(out, 'corpus.json'),
    JSON.stringify(
      {
        ...summary,
        services: services.sort(),
        syntaxErrorServices: broken.sort(),
        crlfServices,
        overlayInitd,
        overlayConfd,
      },
      null,
      1,
    ) + '\n',
  );
  return summary;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const o = parseArgs(process.argv.slice(2));
  let summary;
  try {
    summary = generate(o);
  } catch (e) {
    process.stderr.write(`gen-corpus: ${e.message}\n`);
    process.exit(1);
  }
  if (!o.quiet) {
    const { lines: l } = summary;
    process.stdout.write(
      `${o.out}: ${summary.count} services (seed ${summary.seed}), ${summary.files} files, ${summary.bytes} bytes\n` +
        `init.d lines: min ${l.min}, median ${l.median}, p90 ${l.p90}, max ${l.max}, total ${l.total}\n` +
        `kinds: ${Object.entries(summary.kinds)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}\n` +
        `crlf=${summary.crlf} syntax-errors=${summary.syntaxErrors} bashisms=${summary.bashisms} supervised=${summary.supervised} ` +
        `command_background=${summary.commandBackground} ssd-calls=${summary.ssdCalls} heredocs=${summary.heredocs} case=${summary.caseStatements}\n`,
    );
  }
  process.stdout.write(`sha256 ${summary.sha256}\n`);
}
