/**
 * The man page rc-supervise(8) and the bash, zsh and fish completions, generated from the
 * same spec as --help (src/cli/spec.ts). Used by the release build (scripts/release.mjs) and
 * by `make install`; never loaded by the CLI itself.
 */
import { ALL_META } from '../lint/lint.js';
import { COMMANDS, ENV_HELP, EXIT_HELP, GLOBAL_OPTIONS, optionSynopsis, type CmdSpec, type OptSpec } from './spec.js';

/** Text for roff: backslashes, hyphens (so they are not typeset as dashes) and leading dots. */
function roff(s: string): string {
  return s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

function manOption(o: OptSpec): string {
  const flags = [o.alias ? `\\fB\\-${o.alias}\\fR` : '', `\\fB\\-\\-${roff(o.name)}\\fR`].filter(Boolean).join(', ');
  const value = o.type === 'boolean' ? '' : ` \\fI${roff(optionSynopsis(o).split(' ').slice(1).join(' '))}\\fR`;
  const extra = [
    o.choices ? `one of: ${o.choices.join(', ')}` : '',
    o.default !== undefined && o.type !== 'boolean' ? `default: ${o.default}` : '',
    o.type === 'list' ? 'may be repeated' : o.type !== 'boolean' ? 'give it once' : '',
  ].filter(Boolean);
  return `.TP\n${flags}${value}\n${roff(o.describe)}${extra.length ? ` (${roff(extra.join('; '))})` : ''}.\n`;
}

function manCommand(c: CmdSpec): string {
  let s = `.SS "${c.name}${c.args ? ' ' + roff(c.args) : ''}"\n${roff(c.summary)}.\n`;
  if (c.positional) s += `.PP\n\\fI${roff(c.args.replace(/[[\]]/g, ''))}\\fR: ${roff(c.positional.describe)}.\n`;
  for (const o of c.options) s += manOption(o);
  s += '.PP\nExamples:\n';
  for (const [cmd, what] of c.examples) s += `.PP\n.RS 4\n.nf\n\\fB$ ${roff(cmd)}\\fR\n.fi\n${roff(what)}.\n.RE\n`;
  return s;
}

/** Lines of an "Exit codes:"/"Environment:" help block, as a roff list. */
function manList(block: string): string {
  const items: [string, string][] = [];
  for (const line of block.split('\n').slice(1)) {
    const m = /^ {2}(\S+)\s+(.*)$/.exec(line);
    if (m) items.push([m[1], m[2]]);
    else if (items.length) items[items.length - 1][1] += ' ' + line.trim();
  }
  return items.map(([k, v]) => `.TP\n.B ${roff(k)}\n${roff(v)}\n`).join('');
}

export function manPage(version: string): string {
  return (
    `.\\" Generated from src/cli/spec.ts by src/cli/docs-gen.ts: edit those, not this file.\n` +
    `.TH RC\\-SUPERVISE 8 "" "rc\\-supervise ${roff(version)}" "System Administration"\n` +
    `.SH NAME\nrc\\-supervise \\- move OpenRC services from start\\-stop\\-daemon to supervise\\-daemon\n` +
    `.SH SYNOPSIS\n` +
    COMMANDS.map((c) => `.B rc\\-supervise ${c.name}\n.RI [ options ]${c.args ? ` ${roff(c.args)}` : ''}\n.br\n`).join(
      '',
    ) +
    `.SH DESCRIPTION\n` +
    `rc\\-supervise moves OpenRC services from \\fBstart\\-stop\\-daemon\\fR(8) to OpenRC's own supervisor, ` +
    `\\fBsupervise\\-daemon\\fR(8), so that a crashed daemon is restarted and its output can be caught. ` +
    `It edits init scripts and conf.d files with minimal text edits, keeps a backup of every file it changes ` +
    `(\\fBrevert\\fR puts back the exact bytes, mode and owner), and refuses what it cannot convert with certainty. ` +
    `\\fBlint\\fR checks init scripts, for example an ebuild repository in CI.\n` +
    `.PP\nAn option that takes a value may be given once; a switch may be repeated. ` +
    `Everything after \\fB\\-\\-\\fR is an operand.\n` +
    `.SH COMMANDS\n` +
    COMMANDS.map(manCommand).join('') +
    `.SH GLOBAL OPTIONS\n` +
    GLOBAL_OPTIONS.map(manOption).join('') +
    `.SH EXIT STATUS\n` +
    manList(EXIT_HELP) +
    `.SH ENVIRONMENT\n` +
    manList(ENV_HELP) +
    `.SH FILES\n.TP\n.I ROOT/var/lib/rc\\-supervise/\nthe manifest of migrations and the backups \\fBrevert\\fR restores from.\n` +
    `.TP\n.I .rc\\-supervise.json\nlint settings, the nearest one above each linted file (schema/rc\\-supervise.schema.json).\n` +
    `.SH SEE ALSO\n\\fBopenrc\\-run\\fR(8), \\fBsupervise\\-daemon\\fR(8), \\fBstart\\-stop\\-daemon\\fR(8), \\fBrc\\-service\\fR(8)\n`
  );
}

const valueOptions = (opts: OptSpec[]) => opts.filter((o) => o.type !== 'boolean');
const flagsOf = (o: OptSpec) => [`--${o.name}`, ...(o.alias ? [`-${o.alias}`] : [])];
const checkIds = () => ALL_META.map((m) => m.id).join(' ');

export function bashCompletion(): string {
  const names = COMMANDS.map((c) => c.name).join(' ');
  const globals = GLOBAL_OPTIONS.flatMap(flagsOf).join(' ');
  const valueCases: string[] = [];
  for (const c of [{ name: '*', options: GLOBAL_OPTIONS } as Pick<CmdSpec, 'name' | 'options'>, ...COMMANDS])
    for (const o of valueOptions(c.options)) {
      const pat = flagsOf(o)
        .map((f) => `${c.name === '*' ? '*' : c.name}:${f}`)
        .join('|');
      const action = o.choices
        ? `COMPREPLY=($(compgen -W "${o.choices.join(' ')}" -- "$cur"))`
        : o.complete === 'dir'
          ? 'COMPREPLY=($(compgen -d -- "$cur"))'
          : o.complete === 'file'
            ? 'COMPREPLY=($(compgen -f -- "$cur"))'
            : o.complete === 'check'
              ? 'COMPREPLY=($(compgen -W "$checks" -- "$cur"))'
              : o.complete === 'service'
                ? 'COMPREPLY=($(compgen -W "$(_rc_supervise_services)" -- "$cur"))'
                : 'COMPREPLY=()';
      valueCases.push(`    ${pat}) ${action}; return ;;`);
    }
  const optCases = COMMANDS.map((c) => `    ${c.name}) opts="${c.options.flatMap(flagsOf).join(' ')}" ;;`).join('\n');
  const operandCases = COMMANDS.filter((c) => c.positional)
    .map(
      (c) =>
        `    ${c.name}) ${
          c.positional!.complete === 'service'
            ? 'COMPREPLY=($(compgen -W "$(_rc_supervise_services)" -- "$cur"))'
            : 'COMPREPLY=($(compgen -f -- "$cur"))'
        } ;;`,
    )
    .join('\n');
  return `# bash completion for rc-supervise(8); generated from src/cli/spec.ts: do not edit.
# Service names come from ROOT/etc/init.d (ROOT: the --root on the line, else /).
_rc_supervise_services() {
  local root=/ i
  for ((i = 1; i < \${#COMP_WORDS[@]}; i++)); do
    case \${COMP_WORDS[i]} in
      --root) root=\${COMP_WORDS[i + 1]} ;;
      --root=*) root=\${COMP_WORDS[i]#--root=} ;;
    esac
  done
  local f
  for f in "$root"/etc/init.d/*; do
    [[ -f $f ]] || continue
    f=\${f##*/}
    case $f in *.apk-new | *.pacnew | *.orig | *~ | *.bak | *.dpkg-*) continue ;; esac
    printf '%s\\n' "$f"
  done
}

_rc_supervise() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD - 1]}
  local checks="${checkIds()}"
  local cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${COMMANDS.map((c) => c.name).join(' | ')}) cmd=\${COMP_WORDS[i]}; break ;;
    esac
  done
  case "\${cmd:-*}:$prev" in
${valueCases.join('\n')}
  esac
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "${globals}" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "${names}" -- "$cur"))
    fi
    return
  fi
  local opts=""
  case $cmd in
${optCases}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts ${globals}" -- "$cur"))
    return
  fi
  case $cmd in
${operandCases}
  esac
}
complete -F _rc_supervise rc-supervise
`;
}

/** zsh: one _arguments spec per command. */
export function zshCompletion(): string {
  const q = (s: string) => s.replace(/'/g, "'\\''").replace(/[[\]:]/g, '\\$&');
  const optSpec = (o: OptSpec) => {
    const action = o.choices
      ? `:${o.value ?? 'value'}:(${o.choices.join(' ')})`
      : o.type === 'boolean'
        ? ''
        : o.complete === 'dir'
          ? `:${o.value}:_files -/`
          : o.complete === 'file'
            ? `:${o.value}:_files`
            : o.complete === 'check'
              ? `:check:(${checkIds()})`
              : o.complete === 'service'
                ? ':service:_rc_supervise_services'
                : `:${o.value ?? 'value'}: `;
    const rep = o.type === 'list' ? '*' : '';
    return o.alias
      ? `    '${rep}(-${o.alias} --${o.name})'{-${o.alias},--${o.name}}'[${q(o.describe)}]${action}'`
      : `    '${rep}--${o.name}[${q(o.describe)}]${action}'`;
  };
  const cmds = COMMANDS.map(
    (c) =>
      `  (${c.name})\n   _arguments -s \\\n${[...c.options, ...GLOBAL_OPTIONS].map(optSpec).join(' \\\n')}${
        c.positional
          ? ` \\\n    '${c.positional.array ? '*' : '1'}:${c.positional.name}:${c.positional.complete === 'service' ? '_rc_supervise_services' : '_files'}'`
          : ''
      }\n   ;;`,
  ).join('\n');
  return `#compdef rc-supervise
# zsh completion for rc-supervise(8); generated from src/cli/spec.ts: do not edit.
_rc_supervise_services() {
  local root=/ i
  for ((i = 1; i < \${#words}; i++)); do [[ \${words[i]} == --root ]] && root=\${words[i+1]}; done
  local -a svcs
  svcs=(\${root}/etc/init.d/*(N.:t))
  svcs=(\${svcs:#*(.apk-new|.pacnew|.orig|~|.bak)})
  _describe service svcs
}

_rc_supervise() {
  local curcontext=$curcontext state line
  _arguments -C \\
${GLOBAL_OPTIONS.map(optSpec).join(' \\\n')} \\
    '1:command:->command' \\
    '*::arg:->args'
  case $state in
  (command)
    local -a commands
    commands=(
${COMMANDS.map((c) => `      '${c.name}:${q(c.summary)}'`).join('\n')}
    )
    _describe command commands
    ;;
  (args)
    case \${line[1]} in
${cmds}
    esac
    ;;
  esac
}

_rc_supervise "$@"
`;
}

export function fishCompletion(): string {
  const esc = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const names = COMMANDS.map((c) => c.name).join(' ');
  const line = (cond: string, o: OptSpec) => {
    const parts = ['complete -c rc-supervise', cond, `-l ${o.name}`];
    if (o.alias) parts.push(o.alias.length === 1 ? `-s ${o.alias}` : `-o ${o.alias}`);
    if (o.type !== 'boolean') parts.push('-r');
    if (o.choices) parts.push(`-f -a ${esc(o.choices.join(' '))}`);
    else if (o.complete === 'check') parts.push(`-f -a ${esc(checkIds())}`);
    else if (o.complete === 'service') parts.push("-f -a '(__rc_supervise_services)'");
    else if (o.complete === 'dir') parts.push("-f -a '(__fish_complete_directories)'");
    parts.push(`-d ${esc(o.describe)}`);
    return parts.join(' ');
  };
  return [
    '# fish completion for rc-supervise(8); generated from src/cli/spec.ts: do not edit.',
    'function __rc_supervise_services',
    '    set -l root /',
    '    set -l words (commandline -opc)',
    '    for i in (seq (count $words))',
    '        if test $words[$i] = --root; and test $i -lt (count $words)',
    '            set root $words[(math $i + 1)]',
    '        end',
    '    end',
    '    for f in $root/etc/init.d/*',
    "        test -f $f; and not string match -qr '(\\.apk-new|\\.pacnew|\\.orig|~|\\.bak)$' -- $f; and basename $f",
    '    end',
    'end',
    'complete -c rc-supervise -f',
    ...COMMANDS.map((c) => `complete -c rc-supervise -n '__fish_use_subcommand' -a ${c.name} -d ${esc(c.summary)}`),
    ...GLOBAL_OPTIONS.map((o) => line('', o)),
    ...COMMANDS.flatMap((c) => [
      ...c.options.map((o) => line(`-n '__fish_seen_subcommand_from ${c.name}'`, o)),
      ...(c.positional?.complete === 'service'
        ? [`complete -c rc-supervise -n '__fish_seen_subcommand_from ${c.name}' -a '(__rc_supervise_services)'`]
        : c.positional
          ? [`complete -c rc-supervise -n '__fish_seen_subcommand_from ${c.name}' -F`]
          : []),
    ]),
    `# commands: ${names}`,
    '',
  ].join('\n');
}

/** Every generated file, by its path inside the package. */
export function cliDocs(version: string): Record<string, string> {
  return {
    'man/rc-supervise.8': manPage(version),
    'completions/rc-supervise.bash': bashCompletion(),
    'completions/_rc-supervise': zshCompletion(),
    'completions/rc-supervise.fish': fishCompletion(),
  };
}

/** The README's command reference (between `<!-- cli:start -->` and `<!-- cli:end -->`). */
export function cliMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const row = (o: OptSpec) =>
    `| \`${cell(optionSynopsis(o))}\` | ${cell(o.describe)}${o.choices ? ` (${cell(o.choices.join(', '))})` : ''}${
      o.default !== undefined && o.type !== 'boolean' ? `; default ${cell(String(o.default))}` : ''
    } |`;
  return (
    COMMANDS.map(
      (c) =>
        `#### rc-supervise ${c.name}${c.args ? ` ${c.args}` : ''}\n\n${c.summary[0].toUpperCase()}${c.summary.slice(1)}.\n\n` +
        `| option | meaning |\n|---|---|\n${c.options.map(row).join('\n')}\n`,
    ).join('\n') +
    `\nEvery command also takes:\n\n| option | meaning |\n|---|---|\n${GLOBAL_OPTIONS.map(row).join('\n')}\n`
  );
}
