import { useState, type FormEvent } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../api';
import { BudgetBar } from '../components/BudgetBar';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { PageTitle } from '../components/PageTitle';
import { useBudgetSpend } from '../budget-spend';
import { time } from '../format';
import { useSession } from '../session';
import type { Customer, KeyInfo } from '../types';
import { useApi } from '../useApi';

const periods = ['daily', 'monthly', 'lifetime'] as const;
type Period = (typeof periods)[number];

function PeriodSelect({ id, label, value, onChange }: { id: string; label: string; value: Period; onChange: (period: Period) => void }) {
  return (
    <label className="field" htmlFor={id}>
      {label}
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as Period)}>
        {periods.map((period) => (
          <option key={period} value={period}>
            {period}
          </option>
        ))}
      </select>
    </label>
  );
}

interface KeyForm {
  name: string;
  models: string;
  budgetUsd: string;
  budgetPeriod: (typeof periods)[number];
  rpm: string;
}

const emptyForm: KeyForm = { name: '', models: '', budgetUsd: '', budgetPeriod: 'monthly', rpm: '' };

function keyBody(form: KeyForm): Record<string, unknown> {
  const body: Record<string, unknown> = { name: form.name.trim() };
  const models = form.models.split(',').map((model) => model.trim()).filter(Boolean);
  if (models.length > 0) body.models = models;
  if (form.budgetUsd.trim() !== '') body.budget = { usd: Number(form.budgetUsd), period: form.budgetPeriod, hard: true };
  if (form.rpm.trim() !== '') body.rateLimit = { rpm: Number(form.rpm) };
  return body;
}

function CreatedKey({ created, onDone }: { created: { key: string; name: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="created" role="status">
      <p>
        Key <strong>{created.name}</strong> created. Copy it now: it is shown only once.
      </p>
      <p>
        <code data-testid="new-key" className="secret">{created.key}</code>
      </p>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(created.key).then(() => setCopied(true), () => setCopied(false));
        }}
      >
        {copied ? 'Copied' : 'Copy key'}
      </button>{' '}
      <button type="button" className="secondary" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const { can, who } = useSession();
  const [form, setForm] = useState<KeyForm>(emptyForm);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const allowed = can(['admin']);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const answer = await api<{ key: string; name: string }>('/admin/keys', { method: 'POST', body: keyBody(form) });
      setCreated(answer);
      setForm(emptyForm);
      onCreated();
    } catch (caught) {
      setError(caught);
    }
  }

  const input = (name: keyof KeyForm, label: string, extra: { placeholder?: string; inputMode?: 'decimal' | 'numeric'; required?: boolean } = {}) => (
    <label className="field" htmlFor={`key-${name}`}>
      {label}
      <input id={`key-${name}`} value={form[name]} onChange={(event) => setForm({ ...form, [name]: event.target.value })} {...extra} />
    </label>
  );

  return (
    <section aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      {!allowed ? (
        <p className="muted" id="create-key-note">
          Creating keys needs the admin role; you are signed in with the {who?.role} role. The gateway refuses it too.
        </p>
      ) : null}
      <form className="filters" onSubmit={submit} aria-describedby={allowed ? undefined : 'create-key-note'}>
        {input('name', 'Name', { required: true, placeholder: 'my-app' })}
        {input('models', 'Models (comma-separated, empty for all)', { placeholder: 'gpt-4o-mini, chat' })}
        {input('budgetUsd', 'Key budget (USD)', { inputMode: 'decimal', placeholder: 'none' })}
        <PeriodSelect id="key-budgetPeriod" label="Budget period" value={form.budgetPeriod} onChange={(period) => setForm({ ...form, budgetPeriod: period })} />
        {input('rpm', 'Requests per minute', { inputMode: 'numeric', placeholder: 'no limit' })}
        <div className="actions">
          <button type="submit">Create key</button>
        </div>
      </form>
      <ErrorNote error={error} />
      {created ? <CreatedKey created={created} onDone={() => setCreated(null)} /> : null}
    </section>
  );
}

interface LimitsTarget {
  /** `customer` or `key`: names the form's controls. */
  kind: 'customer' | 'key';
  title: string;
  /** Client keys to choose from; a customer id is typed. */
  choices?: Array<{ id: string; label: string }>;
  save(id: string, body: Record<string, unknown>): Promise<unknown>;
  onSaved(): void;
}

/** Sets the budget and rate limit of a customer (PUT /admin/customers/:id) or an existing key (PATCH /admin/keys/:id). */
function LimitsForm({ kind, title, choices, save, onSaved }: LimitsTarget) {
  const [form, setForm] = useState<{ id: string; usd: string; period: Period; rpm: string }>({ id: '', usd: '', period: 'monthly', rpm: '' });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaved(null);
    const body: Record<string, unknown> = {};
    if (form.usd.trim() !== '') body.budget = { usd: Number(form.usd), period: form.period, hard: true };
    if (form.rpm.trim() !== '') body.rateLimit = { rpm: Number(form.rpm) };
    try {
      await save(form.id.trim(), body);
      setSaved(`Saved ${form.id.trim()}.`);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <form className="filters" onSubmit={submit} aria-labelledby={`${kind}-limits-title`}>
      <h3 id={`${kind}-limits-title`} className="full">
        {title}
      </h3>
      <label className="field" htmlFor={`${kind}-limits-id`}>
        Which {kind}
        {choices ? (
          <select id={`${kind}-limits-id`} required value={form.id} onChange={(event) => setForm({ ...form, id: event.target.value })}>
            <option value="">Choose…</option>
            {choices.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.label}
              </option>
            ))}
          </select>
        ) : (
          <input id={`${kind}-limits-id`} required value={form.id} onChange={(event) => setForm({ ...form, id: event.target.value })} />
        )}
      </label>
      <label className="field" htmlFor={`${kind}-limits-usd`}>
        New {kind} budget (USD)
        <input id={`${kind}-limits-usd`} inputMode="decimal" value={form.usd} onChange={(event) => setForm({ ...form, usd: event.target.value })} />
      </label>
      <PeriodSelect id={`${kind}-limits-period`} label={`New ${kind} budget period`} value={form.period} onChange={(period) => setForm({ ...form, period })} />
      <label className="field" htmlFor={`${kind}-limits-rpm`}>
        New {kind} requests per minute
        <input id={`${kind}-limits-rpm`} inputMode="numeric" value={form.rpm} onChange={(event) => setForm({ ...form, rpm: event.target.value })} />
      </label>
      <div className="actions">
        <button type="submit">Save {kind}</button>
      </div>
      <div className="full">
        <ErrorNote error={error} />
        {saved ? <p role="status" className="ok">{saved}</p> : null}
      </div>
    </form>
  );
}

export function KeysPage() {
  const keys = useApi<{ data: KeyInfo[] }>('/admin/keys');
  const customers = useApi<{ data: Customer[] }>('/admin/customers');
  const keySpend = useBudgetSpend('key');
  const customerSpend = useBudgetSpend('customer');
  const [revokeError, setRevokeError] = useState<unknown>(null);

  async function revoke(key: KeyInfo) {
    if (!window.confirm(`Revoke the key ${key.name} (${key.prefix}…)? Apps using it stop working at once.`)) return;
    setRevokeError(null);
    try {
      await api(`/admin/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      keys.reload();
    } catch (caught) {
      setRevokeError(caught);
    }
  }

  const keyColumns: ColumnDef<KeyInfo, any>[] = [
    { header: 'Name', accessorKey: 'name' },
    { header: 'Id', accessorKey: 'id' },
    { header: 'Prefix', accessorKey: 'prefix', cell: (cell) => <code>{cell.getValue() as string}…</code> },
    { header: 'Role', accessorKey: 'role', cell: (cell) => (cell.getValue() as string | null | undefined) ?? 'client' },
    { header: 'Models', accessorKey: 'models', cell: (cell) => ((cell.getValue() as string[] | null) ?? ['all']).join(', ') },
    { header: 'Created (UTC)', accessorKey: 'createdAt', cell: (cell) => time(cell.getValue() as string) },
    {
      header: 'Budget',
      id: 'budget',
      cell: ({ row }) =>
        row.original.budget ? <BudgetBar spent={keySpend(row.original.id, row.original.budget.period)} limit={row.original.budget.usd} label={`Spend of ${row.original.name} against its ${row.original.budget.period} budget`} /> : 'none',
    },
    { header: 'Rate limit', id: 'rate', cell: ({ row }) => (row.original.rateLimit ? [row.original.rateLimit.rpm && `${row.original.rateLimit.rpm} rpm`, row.original.rateLimit.tpm && `${row.original.rateLimit.tpm} tpm`].filter(Boolean).join(', ') : 'none') },
    {
      header: 'State',
      id: 'state',
      cell: ({ row }) =>
        row.original.revokedAt ? (
          `revoked ${time(row.original.revokedAt)}`
        ) : (
          <button type="button" className="danger" onClick={() => void revoke(row.original)} aria-label={`Revoke ${row.original.name}`}>
            Revoke
          </button>
        ),
    },
  ];

  const customerColumns: ColumnDef<Customer, any>[] = [
    { header: 'Customer', accessorKey: 'id' },
    { header: 'Name', accessorKey: 'name', cell: (cell) => (cell.getValue() as string | null) ?? '—' },
    {
      header: 'Budget',
      id: 'budget',
      cell: ({ row }) =>
        row.original.budget ? <BudgetBar spent={customerSpend(row.original.id, row.original.budget.period)} limit={row.original.budget.usd} label={`Spend of ${row.original.id} against its ${row.original.budget.period} budget`} /> : 'none',
    },
    { header: 'Rate limit', id: 'rate', cell: ({ row }) => (row.original.rateLimit?.rpm ? `${row.original.rateLimit.rpm} rpm` : row.original.rateLimit?.tpm ? `${row.original.rateLimit.tpm} tpm` : 'none') },
  ];

  return (
    <section>
      <PageTitle>Keys and budgets</PageTitle>
      <CreateKey onCreated={keys.reload} />
      <ErrorNote error={keys.error ?? revokeError} />
      <DataTable caption="Keys" columns={keyColumns} data={keys.data?.data ?? []} />
      <LimitsForm
        kind="key"
        title="Change an existing key's budget and rate limit"
        choices={(keys.data?.data ?? []).filter((key) => !key.revokedAt).map((key) => ({ id: key.id, label: `${key.name} (${key.prefix}…)` }))}
        save={(id, body) => api(`/admin/keys/${encodeURIComponent(id)}`, { method: 'PATCH', body })}
        onSaved={keys.reload}
      />
      <h2>Customers</h2>
      <ErrorNote error={customers.error} />
      <DataTable caption="Customers and their budgets" columns={customerColumns} data={customers.data?.data ?? []} />
      <LimitsForm kind="customer" title="Set a customer's budget and rate limit" save={(id, body) => api(`/admin/customers/${encodeURIComponent(id)}`, { method: 'PUT', body })} onSaved={customers.reload} />
    </section>
  );
}
