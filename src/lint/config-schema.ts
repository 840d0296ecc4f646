/**
 * The schema of `.rc-supervise.json`, published as schema/rc-supervise.schema.json (a test
 * keeps the two equal) so that editors can check the file too.
 */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/rc-supervise/rc-supervise/raw/main/schema/rc-supervise.schema.json',
  title: 'rc-supervise lint configuration (.rc-supervise.json)',
  description: 'Read by `rc-supervise lint` from the nearest .rc-supervise.json above each linted file.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: {
      type: 'string',
      description: "this schema's URL, for editors",
    },
    openrcVersion: {
      type: 'string',
      pattern: '^[0-9]+\\.[0-9]+(\\.[0-9]+)?$',
      description: 'oldest OpenRC the scripts must work with, as a string: "0.44" or "0.44.10"',
    },
    disable: {
      type: 'array',
      items: {
        type: 'string',
        minLength: 1,
      },
      uniqueItems: true,
      description: 'check ids that are not run (rc-supervise lint --list-rules)',
    },
    severity: {
      type: 'object',
      additionalProperties: {
        enum: ['error', 'warning', 'info', 'off'],
      },
      description: 'check id -> severity it reports with, or off',
    },
  },
} as const;
