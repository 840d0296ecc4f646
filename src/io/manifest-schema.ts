import AjvModule from 'ajv';

/**
 * The manifest's JSON schema (version 1). Every path in it is relative to the root and
 * names only what rc-supervise writes: a service file, or a backup under the state
 * directory; a manifest naming anything else (`/etc/shadow`, `../x`) is not ours.
 */
const NAME = '[A-Za-z0-9_][A-Za-z0-9_.@+-]*';
const REL_DIR = '^(?!/)(?!.*(^|/)\\.\\.?(/|$))[^\\0]+$';

export const MANIFEST_SCHEMA = {
  $id: 'https://rc-supervise/manifest-1.json',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'entries'],
  properties: {
    version: { const: 1 },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'run',
          'service',
          'path',
          'hashBefore',
          'hashAfter',
          'backup',
          'mode',
          'uid',
          'gid',
          'time',
          'state',
        ],
        properties: {
          run: { type: 'string', pattern: '^[0-9A-Za-z-]+$' },
          service: { type: 'string', pattern: `^${NAME}$` },
          path: { type: 'string', pattern: `^etc/(init\\.d|conf\\.d)/${NAME}$` },
          hashBefore: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^[0-9a-f]{64}$' }] },
          hashAfter: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          backup: { anyOf: [{ type: 'null' }, { type: 'string', pattern: REL_DIR }] },
          mode: { type: 'integer', minimum: 0, maximum: 0o7777 },
          uid: { type: 'integer', minimum: 0 },
          gid: { type: 'integer', minimum: 0 },
          time: { type: 'string' },
          state: { enum: ['pending', 'done'] },
          createdDirs: { type: 'array', items: { type: 'string', pattern: REL_DIR } },
        },
      },
    },
    createdDirs: { type: 'array', items: { type: 'string', pattern: REL_DIR } },
  },
} as const;

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};
let validate: Validate | undefined;

/** null when `data` is a manifest we understand, else the first problem, with its JSON path. */
export function validateManifest(data: unknown, stateDir: string): string | null {
  // Compiled on first use: most commands never read a manifest.
  validate ??= new AjvModule.default({ allErrors: false, strict: true }).compile(MANIFEST_SCHEMA) as Validate;
  if (!validate(data)) {
    const e = validate.errors?.[0];
    return `${e?.instancePath || '/'} ${e?.message ?? 'is invalid'}`;
  }
  // A backup lives in our state directory's backup/ tree, for the same file.
  for (const [i, e] of (data as { entries: { backup: string | null; path: string }[] }).entries.entries())
    if (e.backup !== null && !(e.backup.startsWith(`${stateDir}/backup/`) && e.backup.endsWith(`/${e.path}`)))
      return `/entries/${i}/backup is not a backup of ${e.path} under ${stateDir}/backup/`;
  return null;
}
