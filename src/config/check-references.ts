/** Loose views of the raw configuration: the names may be misspelt or missing, which is what this file checks. */
type Loose = Record<string, unknown>;

function record(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
}

function targetName(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  const model = record(item).model;
  return typeof model === 'string' ? model : undefined;
}

/**
 * Checks that models name configured providers and routes name configured models, on the raw configuration, so
 * that these problems are reported together with shape problems rather than only after those are fixed.
 */
export function referenceProblems(raw: unknown): string[] {
  const config = record(raw);
  const providers = record(config.providers);
  const models = record(config.models);
  const routes = record(config.routes);
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(models)) {
    const provider = record(entry).provider;
    if (typeof provider === 'string' && !(provider in providers)) problems.push(`models.${name}.provider: unknown provider "${provider}"`);
  }
  for (const [name, value] of Object.entries(routes)) {
    const route = record(value);
    if (name in models) problems.push(`routes.${name}: "${name}" is already a model name; a route needs its own name`);
    if (Array.isArray(route.targets)) {
      route.targets.forEach((item, index) => {
        const model = targetName(item);
        if (model !== undefined && !(model in models)) problems.push(`routes.${name}.targets.${index}: unknown model "${model}"`);
      });
    }
    const cache = record(route.cache);
    if (cache.mode === 'semantic') {
      if (typeof cache.embeddingModel !== 'string') problems.push(`routes.${name}.cache.embeddingModel: semantic caching needs an embedding model`);
      else if (!(cache.embeddingModel in models)) problems.push(`routes.${name}.cache.embeddingModel: unknown model "${cache.embeddingModel}"`);
    }
    const shadow = record(route.shadow);
    if (typeof shadow.target === 'string' && !(shadow.target in models)) problems.push(`routes.${name}.shadow.target: unknown model "${shadow.target}"`);
    if (Array.isArray(route.rules)) {
      route.rules.forEach((rule, index) => {
        const use = record(rule).use;
        if (typeof use !== 'string') return;
        if (use === name) problems.push(`routes.${name}.rules.${index}.use: a rule cannot point at its own route`);
        else if (!(use in models) && !(use in routes)) problems.push(`routes.${name}.rules.${index}.use: unknown model or route "${use}"`);
      });
    }
  }
  return problems;
}
