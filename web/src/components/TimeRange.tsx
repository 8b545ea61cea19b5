export const ranges = [
  { id: '1h', label: 'Last hour', ms: 3_600_000, buckets: 60 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000, buckets: 48 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, buckets: 56 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, buckets: 60 },
] as const;

export type RangeId = (typeof ranges)[number]['id'];

export function rangeOf(id: string) {
  return ranges.find((range) => range.id === id) ?? ranges[1];
}

export function TimeRange({ value, onChange, id = 'range' }: { value: string; onChange: (id: RangeId) => void; id?: string }) {
  return (
    <label className="field inline" htmlFor={id}>
      Time range
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as RangeId)}>
        {ranges.map((range) => (
          <option key={range.id} value={range.id}>
            {range.label}
          </option>
        ))}
      </select>
    </label>
  );
}
