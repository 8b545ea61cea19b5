import { isRecord, type JsonRecord } from '../shared/json-read.js';

/**
 * Gemini accepts a subset of OpenAPI 3.0 schema and rejects the request on any other keyword
 * (https://ai.google.dev/api/caching#Schema), so schemas are rebuilt from an allow-list.
 */
const passThroughKeys = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'required', 'default', 'example', 'pattern',
  'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'propertyOrdering',
]);

interface ConversionContext {
  definitions: Map<string, JsonRecord>;
  /** References being expanded, so a recursive schema stops instead of looping. */
  expanding: Set<string>;
}

/** Rewrites a JSON Schema into the subset Gemini accepts, recursively: local `$ref`s are inlined, other keywords dropped. */
export function toGeminiSchema(schema: JsonRecord): JsonRecord {
  return convert(schema, { definitions: collectDefinitions(schema), expanding: new Set() });
}

function collectDefinitions(schema: JsonRecord): Map<string, JsonRecord> {
  const definitions = new Map<string, JsonRecord>();
  for (const key of ['$defs', 'definitions']) {
    const group = schema[key];
    if (!isRecord(group)) continue;
    for (const [name, value] of Object.entries(group)) if (isRecord(value)) definitions.set(`#/${key}/${name}`, value);
  }
  return definitions;
}

function convert(schema: JsonRecord, context: ConversionContext): JsonRecord {
  const reference = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (reference !== undefined) return expandReference(reference, schema, context);
  const result: JsonRecord = {};
  for (const [key, value] of Object.entries(schema)) {
    if (passThroughKeys.has(key)) result[key] = value;
  }
  applyTypeList(schema, result);
  if ('const' in schema && result.enum === undefined) result.enum = [schema.const];
  if (result.type === undefined && Array.isArray(result.enum) && result.enum.every((value) => typeof value === 'string')) result.type = 'string';
  if (isRecord(schema.properties)) {
    const properties: JsonRecord = {};
    for (const [name, value] of Object.entries(schema.properties)) {
      if (isRecord(value)) properties[name] = convert(value, context);
    }
    if (Object.keys(properties).length > 0) result.properties = properties;
  }
  if (isRecord(schema.items)) result.items = convert(schema.items, context);
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (alternatives) result.anyOf = alternatives.filter(isRecord).map((alternative) => convert(alternative, context));
  return result;
}

function expandReference(reference: string, schema: JsonRecord, context: ConversionContext): JsonRecord {
  const target = context.definitions.get(reference);
  if (target === undefined || context.expanding.has(reference)) {
    return typeof schema.description === 'string' ? { type: 'object', description: schema.description } : { type: 'object' };
  }
  context.expanding.add(reference);
  const expanded = convert(target, context);
  context.expanding.delete(reference);
  if (typeof schema.description === 'string') expanded.description = schema.description;
  return expanded;
}

/** `type: ["string", "null"]` is JSON Schema; Gemini wants one type plus `nullable`. */
function applyTypeList(schema: JsonRecord, result: JsonRecord): void {
  if (!Array.isArray(schema.type)) return;
  const types = schema.type.filter((type): type is string => typeof type === 'string');
  const nonNull = types.filter((type) => type !== 'null');
  if (nonNull.length === 1) result.type = nonNull[0];
  else if (nonNull.length > 1) {
    delete result.type;
    result.anyOf = nonNull.map((type) => ({ type }));
  } else delete result.type;
  if (types.includes('null')) result.nullable = true;
}

/** A function without arguments must omit `parameters`: Gemini rejects an object schema with no properties. */
export function toGeminiParameters(schema: JsonRecord): JsonRecord | undefined {
  const converted = toGeminiSchema(schema);
  if (converted.type === 'object' && converted.properties === undefined) return undefined;
  return converted;
}
