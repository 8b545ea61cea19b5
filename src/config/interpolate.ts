/** Replaces `${NAME}` (and `${NAME:-default}`) in every string of a parsed YAML tree. `$${` escapes a literal `${`. */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  problems: string[],
  path: string[] = [],
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, problems, path);
  if (Array.isArray(value)) return value.map((item, index) => interpolateEnv(item, env, problems, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = interpolateEnv(item, env, problems, [...path, key]);
    return result;
  }
  return value;
}

const pattern = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function interpolateString(text: string, env: Record<string, string | undefined>, problems: string[], path: string[]): string {
  return text.replace(pattern, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const found = env[name as string];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    problems.push(`${path.join('.')}: environment variable ${name} is not set`);
    return '';
  });
}
