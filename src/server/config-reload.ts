import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/logger.js';

/**
 * Sections a running gateway takes from a new configuration. The rest (storage, Redis, the listen address, the
 * ledger, cache and capture writers, circuit-breaker settings, the budget alert webhook, and any section added later) is wired into objects
 * built once at start, so a change there is kept out of the running config and logged as needing a restart.
 */
export const reloadableSections = ['providers', 'models', 'routes', 'teams', 'limits'] as const satisfies readonly (keyof Config)[];

export interface MergedConfig {
  config: Config;
  /** Top-level sections that changed but take effect only at the next start. */
  needsRestart: string[];
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** The running config with the reloadable sections of `next`. */
export function mergeReloadable(running: Config, next: Config): MergedConfig {
  const reloadable = new Set<string>(reloadableSections);
  const merged: Record<string, unknown> = { ...running };
  const needsRestart: string[] = [];
  for (const key of new Set([...Object.keys(running), ...Object.keys(next)])) {
    const nextValue = (next as Record<string, unknown>)[key];
    if (reloadable.has(key)) merged[key] = nextValue;
    else if (!sameValue((running as Record<string, unknown>)[key], nextValue)) needsRestart.push(key);
  }
  return { config: merged as Config, needsRestart };
}

export type ReloadOutcome = { applied: true; needsRestart: string[] } | { applied: false; problems: string[] };

export interface ConfigReloaderOptions {
  /** Reads and validates the configuration again; throws ConfigError with every problem. */
  load: () => Config;
  /** The config in force now. */
  current: () => Config;
  /** Builds everything that depends on the config and swaps it in at once; throws when the config cannot be used. */
  apply: (config: Config) => void;
  logger: Logger;
  /** Told of every reload tried, applied or refused (the audit log records them). */
  onOutcome?: (reason: string, outcome: ReloadOutcome) => void;
}

function problemsOf(error: unknown): string[] {
  if (error instanceof ConfigError) return error.problems;
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * Reloads the configuration on request (SIGHUP) or when its file changes. A configuration that does not validate,
 * or whose parts cannot be built, is refused with its problems logged, and the one in force stays.
 */
export class ConfigReloader {
  private watched: string | undefined;
  private lastDigest: string | undefined;

  constructor(private readonly options: ConfigReloaderOptions) {}

  reload(reason: string): ReloadOutcome {
    const { logger } = this.options;
    let merged: MergedConfig;
    try {
      merged = mergeReloadable(this.options.current(), this.options.load());
      this.options.apply(merged.config);
    } catch (error) {
      const problems = problemsOf(error);
      logger.error('configuration reload refused; the previous configuration stays in force', { reason, problems });
      return this.told(reason, { applied: false, problems });
    }
    if (merged.needsRestart.length > 0) logger.warn('configuration sections changed that take effect only after a restart', { reason, sections: merged.needsRestart });
    logger.info('configuration reloaded', { reason, providers: Object.keys(merged.config.providers).length, models: Object.keys(merged.config.models).length, routes: Object.keys(merged.config.routes).length });
    return this.told(reason, { applied: true, needsRestart: merged.needsRestart });
  }

  private told(reason: string, outcome: ReloadOutcome): ReloadOutcome {
    this.options.onOutcome?.(reason, outcome);
    return outcome;
  }

  /**
   * Polls the file's status (which follows symbolic links, so a Kubernetes ConfigMap's link swap is seen too) and
   * reloads when its content changes.
   */
  watch(file: string, intervalMs = 1_000): void {
    this.close();
    this.watched = file;
    this.lastDigest = this.digest(file);
    watchFile(file, { interval: intervalMs, persistent: false }, () => {
      const digest = this.digest(file);
      if (digest === undefined || digest === this.lastDigest) return;
      this.lastDigest = digest;
      this.reload('file changed');
    });
  }

  close(): void {
    if (this.watched !== undefined) unwatchFile(this.watched);
    this.watched = undefined;
  }

  private digest(file: string): string | undefined {
    try {
      return createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      return undefined;
    }
  }
}
