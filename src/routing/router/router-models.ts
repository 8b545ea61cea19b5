import { readFileSync, statSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../../config/load-config.js';
import type { Config } from '../../config/schema.js';
import { GatewayError } from '../../core/errors.js';
import { RouterModel } from './router-model.js';

/** Reads and parses a model file; the error names the file and what is wrong with it. */
export function loadRouterModel(file: string): RouterModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GatewayError('invalid_request', `router model ${file}: ${code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})`}`, { param: 'router.model' });
  }
  try {
    return RouterModel.parse(text);
  } catch (error) {
    throw new GatewayError('invalid_request', `router model ${file}: ${error instanceof Error ? error.message : String(error)}`, { param: 'router.model' });
  }
}

interface Loaded {
  model: RouterModel;
  mtimeMs: number;
  size: number;
}

export interface RouterModelsOptions {
  /** How often to look for a changed file, off the request path. */
  checkEveryMs?: number;
  onReload?: (file: string) => void;
  onError?: (file: string, error: Error) => void;
}

/**
 * The router models the routes name, loaded once at start (a missing or corrupt file fails the start) and replaced
 * when a file's modification time or size changes. A file that turns corrupt keeps the last good model in use.
 */
export class RouterModels {
  private readonly loaded = new Map<string, Loaded>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(files: string[], private readonly options: RouterModelsOptions = {}) {
    for (const file of new Set(files.map((name) => resolve(name)))) {
      const model = loadRouterModel(file);
      const info = statSync(file);
      this.loaded.set(file, { model, mtimeMs: info.mtimeMs, size: info.size });
    }
    if (this.loaded.size > 0) {
      this.timer = setInterval(() => void this.check(), options.checkEveryMs ?? 2_000);
      this.timer.unref();
    }
  }

  get(file: string): RouterModel {
    const entry = this.loaded.get(resolve(file));
    if (!entry) throw new GatewayError('internal_error', `router model ${file} was not loaded at start`);
    return entry.model;
  }

  /** Looks for changed files now; resolves once every changed file is reloaded or rejected. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const [file, entry] of this.loaded) {
        try {
          const info = await stat(file);
          if (info.mtimeMs === entry.mtimeMs && info.size === entry.size) continue;
          const model = RouterModel.parse(await readFile(file, 'utf8'));
          this.loaded.set(file, { model, mtimeMs: info.mtimeMs, size: info.size });
          this.options.onReload?.(file);
        } catch (error) {
          // Remember the bad version so it is reported once, not on every check.
          const info = await stat(file).catch(() => undefined);
          if (info) this.loaded.set(file, { ...entry, mtimeMs: info.mtimeMs, size: info.size });
          this.options.onError?.(file, new Error(`router model ${file}: ${error instanceof Error ? error.message : String(error)}; the previous model stays in use`));
        }
      }
    } finally {
      this.checking = false;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * Loads the model file of every `strategy: router` route, failing with the route and file named when one is
 * missing or corrupt; undefined when no route uses a router.
 */
export function routerModelsFor(config: Config, options: RouterModelsOptions = {}): RouterModels | undefined {
  const files: string[] = [];
  const problems: string[] = [];
  for (const [name, route] of Object.entries(config.routes)) {
    if (route.strategy !== 'router') continue;
    try {
      loadRouterModel(route.router.model);
      files.push(route.router.model);
    } catch (error) {
      problems.push(`routes.${name}.router.model: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError('configuration', problems);
  return files.length > 0 ? new RouterModels(files, options) : undefined;
}
