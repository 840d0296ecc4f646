import type { Formatter } from '../lint/types.js';
import gcc from './gcc.js';
import github from './github.js';
import gitlab from './gitlab.js';
import json from './json.js';
import sarif from './sarif.js';
import stylish from './stylish.js';

/** `lint --format` names, in the order they are documented. */
export const FORMAT_NAMES = ['stylish', 'gcc', 'json', 'sarif', 'github', 'gitlab'] as const;

export type FormatName = (typeof FORMAT_NAMES)[number];

export const FORMATTERS: Record<FormatName, Formatter> = { stylish, gcc, json, sarif, github, gitlab };
