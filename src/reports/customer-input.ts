import { invalid, optionalBoolean, optionalNumber, requireArray, requireObject, requireString } from '../server/openai/field-reader.js';
import type { CustomerBudget, CustomerRateLimit, CustomerRecord } from '../store/store.js';

const budgetPeriods: ReadonlyArray<CustomerBudget['period']> = ['daily', 'monthly', 'lifetime'];

function onlyFields(value: Record<string, unknown>, allowed: string[], param: string): void {
  for (const field of Object.keys(value)) if (!allowed.includes(field)) throw invalid(`${param}.${field}`, `unknown field; expected ${allowed.join(', ')}.`);
}

export function readBudget(value: unknown): CustomerBudget {
  const input = requireObject(value, 'budget');
  onlyFields(input, ['usd', 'period', 'hard', 'alertAt'], 'budget');
  const usd = optionalNumber(input.usd, 'budget.usd');
  if (usd === undefined || usd <= 0) throw invalid('budget.usd', 'expected a number of dollars above 0.');
  const period = requireString(input.period, 'budget.period');
  if (!budgetPeriods.includes(period as CustomerBudget['period'])) throw invalid('budget.period', `expected one of ${budgetPeriods.join(', ')}.`);
  const budget: CustomerBudget = { usd, period: period as CustomerBudget['period'], hard: optionalBoolean(input.hard, 'budget.hard') ?? true };
  if (input.alertAt !== undefined && input.alertAt !== null) {
    budget.alertAt = requireArray(input.alertAt, 'budget.alertAt').map((share, index) => {
      const checked = optionalNumber(share, `budget.alertAt[${index}]`, { max: 1 });
      if (checked === undefined || checked <= 0) throw invalid(`budget.alertAt[${index}]`, 'expected a share of the budget above 0 and at most 1.');
      return checked;
    });
  }
  return budget;
}

export function readRateLimit(value: unknown): CustomerRateLimit {
  const input = requireObject(value, 'rateLimit');
  onlyFields(input, ['rpm', 'tpm'], 'rateLimit');
  const limit: CustomerRateLimit = {};
  const rpm = optionalNumber(input.rpm, 'rateLimit.rpm', { integer: true, min: 1 });
  const tpm = optionalNumber(input.tpm, 'rateLimit.tpm', { integer: true, min: 1 });
  if (rpm !== undefined) limit.rpm = rpm;
  if (tpm !== undefined) limit.tpm = tpm;
  if (rpm === undefined && tpm === undefined) throw invalid('rateLimit', 'give rpm, tpm or both.');
  return limit;
}

function readTags(value: unknown): Record<string, string> {
  const tags = requireObject(value, 'tags');
  return Object.fromEntries(Object.entries(tags).map(([tag, text]) => [tag, requireString(text, `tags.${tag}`)]));
}

/**
 * Applies a `PUT /admin/customers/:id` body to the stored customer: fields given replace the stored ones,
 * `null` clears one, and absent fields stay as they were.
 */
export function applyCustomerUpdate(id: string, body: unknown, existing: CustomerRecord | undefined, now: number): CustomerRecord {
  const input = requireObject(body, 'body');
  onlyFields(input, ['name', 'tags', 'budget', 'rateLimit'], 'body');
  const customer: CustomerRecord = existing ? { ...existing, updatedAt: now } : { id, name: null, tags: {}, budget: null, rateLimit: null, updatedAt: now };
  if ('name' in input) customer.name = input.name === null ? null : requireString(input.name, 'name');
  if ('tags' in input) customer.tags = input.tags === null ? {} : readTags(input.tags);
  if ('budget' in input) customer.budget = input.budget === null ? null : readBudget(input.budget);
  if ('rateLimit' in input) customer.rateLimit = input.rateLimit === null ? null : readRateLimit(input.rateLimit);
  return customer;
}
