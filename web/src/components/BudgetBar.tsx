import { usd } from '../format';

/** Spend against a budget as a labelled meter: the bar and its text say the same thing. */
export function BudgetBar({ spent, limit, label }: { spent: number; limit: number; label: string }) {
  const share = limit > 0 ? Math.min(spent / limit, 1) : 1;
  const over = spent >= limit;
  return (
    <div className="budget">
      <div className="budget-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={Math.min(spent, limit)} aria-valuetext={`${usd(spent)} of ${usd(limit)}`}>
        <div className={over ? 'budget-fill over' : 'budget-fill'} style={{ width: `${share * 100}%` }} />
      </div>
      <span className="budget-text">
        {usd(spent)} of {usd(limit)}
      </span>
    </div>
  );
}
