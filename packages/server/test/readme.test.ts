/** The repo README's configuration table and CLI section stay true to the code: every setting, its default, every command. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_ENVIRONMENT_VARIABLES } from '@paligemma/core/settings';
import { CLI_COMMANDS } from '../src/cli/run-cli.js';
import { CONFIG_ENVIRONMENT_VARIABLES, resolveServerConfig } from '../src/config.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** `| \`NAME\` | default | … |` rows of the configuration table, by variable name. */
const rows = new Map(
  [...README.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((match) => [match[1], match[2].trim()]),
);

describe('README', () => {
  const defaults = resolveServerConfig({}, {}) as Record<string, unknown>;

  it.each(Object.entries(CONFIG_ENVIRONMENT_VARIABLES))('documents %s (%s) with its default', (option, variable) => {
    expect(rows.has(variable), `${variable} is missing from the configuration table`).toBe(true);
    const value = defaults[option];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return; // "none" or a described default
    expect(rows.get(variable)).toContain(`\`${String(value)}\``);
  });

  it('documents the core variables and every CLI subcommand', () => {
    for (const variable of Object.values(CORE_ENVIRONMENT_VARIABLES)) expect(rows.has(variable), variable).toBe(true);
    for (const name of CLI_COMMANDS.keys()) expect(README).toContain(`paligemma ${name}`);
  });
});
