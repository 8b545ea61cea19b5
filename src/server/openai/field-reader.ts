import { GatewayError } from '../../core/errors.js';

export type Json = Record<string, unknown>;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param });
}

export function requireObject(value: unknown, param: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(param, `expected an object, got ${typeName(value)}.`);
  return value as Json;
}

export function requireString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid(param, `expected a string, got ${typeName(value)}.`);
  return value;
}

export function requireArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(param, `expected an array, got ${typeName(value)}.`);
  return value;
}

export function optionalString(value: unknown, param: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, param);
}

export function optionalNumber(value: unknown, param: string, range?: { min?: number; max?: number; integer?: boolean }): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(param, `expected a number, got ${typeName(value)}.`);
  if (range?.integer && !Number.isInteger(value)) throw invalid(param, `expected an integer, got ${value}.`);
  if (range?.min !== undefined && value < range.min) throw invalid(param, `must be at least ${range.min}, got ${value}.`);
  if (range?.max !== undefined && value > range.max) throw invalid(param, `must be at most ${range.max}, got ${value}.`);
  return value;
}

export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(param, `expected a boolean, got ${typeName(value)}.`);
  return value;
}
