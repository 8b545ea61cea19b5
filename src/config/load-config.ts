import { existsSync, readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import type { ZodIssue } from 'zod';
import { providersFromEnv } from './env-providers.js';
import { referenceProblems } from './check-references.js';
import { interpolateEnv } from './interpolate.js';
import { configSchema, type Config } from './schema.js';
import { redactSecrets, registerSecrets, secretConfigValues, secretEnvValues } from '../core/secret-redaction.js';
import { configuredUrlProblems } from '../providers/shared/outbound/configured-urls.js';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    const safe = problems.map(redactSecrets);
    super(`Invalid configuration in ${source}:\n${safe.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = safe;
  }
}

export interface LoadedConfig {
  config: Config;
  /** The file read, or undefined when the configuration came from the environment. */
  source: string | undefined;
}

export function formatIssue(issue: ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_union_discriminator') return `${path}: must be one of ${issue.options.map(String).join(' | ')}`;
  // zod's own message quotes the value received, which may be a credential put in the wrong field.
  if (issue.code === 'invalid_enum_value') return `${path}: must be one of ${issue.options.map(String).join(' | ')}`;
  return `${path}: ${issue.message}`;
}

/** Validates an already-parsed object (YAML or JSON) and returns the typed config or throws every problem at once. */
export function parseConfig(raw: unknown, env: Record<string, string | undefined>, source = 'configuration'): Config {
  const problems: string[] = [];
  const interpolated = interpolateEnv(raw ?? {}, env, problems);
  // Registered before validation, so that even the problems found in it cannot quote a credential.
  registerSecrets([...secretConfigValues(interpolated), ...secretEnvValues(env)]);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const result = configSchema.safeParse(interpolated);
  const all = [...(result.success ? configuredUrlProblems(result.data) : result.error.issues.map(formatIssue)), ...referenceProblems(interpolated)];
  if (!result.success || all.length > 0) throw new ConfigError(source, all);
  return result.data;
}

export interface LoadOptions {
  /** Path given with --config; when absent, `switchyard.yaml` in the working directory is used if it exists. */
  file?: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const file = options.file ?? (existsSync(`${options.cwd}/switchyard.yaml`) ? `${options.cwd}/switchyard.yaml` : undefined);
  if (file === undefined) {
    return { config: parseConfig({ providers: providersFromEnv(options.env) }, options.env, 'environment'), source: undefined };
  }
  if (!existsSync(file)) throw new ConfigError(file, [`file not found`]);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  return { config: parseConfig(raw, options.env, file), source: file };
}
