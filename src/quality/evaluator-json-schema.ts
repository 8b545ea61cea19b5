/**
 * A validator for the JSON Schema subset that structured outputs accept (OpenAI strict mode, Anthropic and Gemini
 * response schemas): type, properties, required, additionalProperties, items, enum, const, anyOf, $ref into $defs or
 * definitions, and the numeric, string and array bounds. Unknown keywords are ignored, as JSON Schema says.
 */
type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = match ? (root[match[1] as string] as Record<string, Schema> | undefined) : undefined;
  const target = match && defs ? defs[decodeURIComponent(match[2] as string)] : undefined;
  if (!target) throw new Error(`unsupported or unknown $ref "${ref}"`);
  return resolve(target, root);
}

function checkBounds(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: ${value} is above the maximum ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(`${path}: more than ${schema.maxItems} items`);
  }
}

function checkObject(value: Record<string, unknown>, schema: Schema, context: { path: string; root: Schema; problems: string[] }): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (!(name in value)) context.problems.push(`${context.path}: missing required property "${name}"`);
  }
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (property) check(item, property, { ...context, path: `${context.path}.${name}` });
    else if (schema.additionalProperties === false) context.problems.push(`${context.path}: unexpected property "${name}"`);
    else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
      check(item, schema.additionalProperties as Schema, { ...context, path: `${context.path}.${name}` });
    }
  }
}

function check(value: unknown, raw: Schema, context: { path: string; root: Schema; problems: string[] }): void {
  const schema = resolve(raw, context.root);
  const { path, problems } = context;
  if (Array.isArray(schema.anyOf)) {
    const fits = (schema.anyOf as Schema[]).some((option) => validateJsonSchema(value, option, context.root).length === 0);
    if (!fits) problems.push(`${path}: matches none of anyOf`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => typeMatches(value, type))) {
      problems.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) problems.push(`${path}: not one of the enum values`);
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) problems.push(`${path}: not the const value`);
  checkBounds(value, schema, path, problems);
  if (typeOf(value) === 'object') checkObject(value as Record<string, unknown>, schema, context);
  if (Array.isArray(value) && typeof schema.items === 'object' && schema.items !== null) {
    value.forEach((item, index) => check(item, schema.items as Schema, { ...context, path: `${path}[${index}]` }));
  }
}

/** The problems of `value` against `schema`, each naming where (`$.field[0]`); empty when it is valid. */
export function validateJsonSchema(value: unknown, schema: Schema, root: Schema = schema): string[] {
  const problems: string[] = [];
  check(value, schema, { path: '$', root, problems });
  return problems;
}
