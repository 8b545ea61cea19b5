/** One headline figure: a label and its value as a term and its description; `raw` keeps the unformatted number. */
export function Figure({ label, value, id, raw }: { label: string; value: string; id?: string; raw?: number | null }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd data-figure={id} data-raw={raw === undefined || raw === null ? undefined : String(raw)}>
        {value}
      </dd>
    </div>
  );
}
