import type { CustomerRecord } from './store.js';

/** The JSON column a customer is stored as; `id` and `updatedAt` have columns of their own. */
export function customerData(customer: CustomerRecord): string {
  return JSON.stringify({ name: customer.name, tags: customer.tags, budget: customer.budget, rateLimit: customer.rateLimit });
}

export function customerFromRow(row: Record<string, unknown>): CustomerRecord {
  const data = JSON.parse(row.data as string) as Omit<CustomerRecord, 'id' | 'updatedAt'>;
  return {
    id: row.id as string,
    name: data.name ?? null,
    tags: data.tags ?? {},
    budget: data.budget ?? null,
    rateLimit: data.rateLimit ?? null,
    updatedAt: Number(row.updated_at),
  };
}
