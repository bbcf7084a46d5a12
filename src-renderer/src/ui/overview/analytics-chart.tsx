import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type TooltipValueType,
} from 'recharts';
import type { DailyFigure } from '../../../../src-shared/models/maintenance';
import { countOf, formatCount, formatDay } from '../../lib/format';
import type { AnalyticsRange } from '../../store/health-slice';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { capitalised, possessive } from '../profile/profile-words';
import { useOpenProfile } from '../profile/use-open-profile';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';
import { analyticsTotals, tierInfo, tiers, type ChartDay } from './analytics-figures';

const ranges: ReadonlyArray<[AnalyticsRange, string]> = [
  [90, '3 months'],
  [365, '1 year'],
  [730, '2 years'],
];

/** One bar's row: the day's interactions under its tier's key, so each tier has its colour. */
function chartDays(days: ReadonlyArray<DailyFigure>): ChartDay[] {
  return days.map((day) => ({
    ...day,
    hot: day.tier === 'hot' ? day.interactions : 0,
    warm: day.tier === 'warm' ? day.interactions : 0,
    cold: day.tier === 'cold' ? day.interactions : 0,
  }));
}

function DayTooltip(
  props: TooltipContentProps<TooltipValueType, string | number>,
): React.JSX.Element | null {
  const day = props.active ? (props.payload?.[0]?.payload as ChartDay | undefined) : undefined;
  if (!day) return null;
  return (
    <div className="chart-tooltip">
      <strong>{formatDay(day.day)}</strong>
      <span>{countOf(day.interactions, 'interaction')}</span>
      {day.interactions > 0 ? (
        <>
          <span>{Math.round((day.successes / day.interactions) * 1000) / 10}% successful</span>
          {day.meanResponseMs !== null ? (
            <span>mean response {(day.meanResponseMs / 1000).toFixed(2)} s</span>
          ) : null}
          {day.meanRating !== null ? (
            <span>
              mean rating {day.meanRating.toFixed(1)} of 5 ({formatCount(day.ratings)} rated)
            </span>
          ) : null}
        </>
      ) : null}
      <span className="muted">{tierInfo[day.tier].label}</span>
    </div>
  );
}

/**
 * The assistant's daily analytics as a chart: interactions per day, each bar in the colour of
 * the tier it was read from (hot rows, warm daily sums, cold archives), with the range's
 * totals beside it. Reads `analytics:daily`, which crosses the tiers itself.
 */
export function AnalyticsChart(): React.JSX.Element {
  const analytics = useTend((state) => state.analytics);
  const range = useTend((state) => state.analyticsRange);
  const load = useTend((state) => state.loadAnalytics);
  const view = valueOf(analytics);
  const data = useMemo(() => chartDays(view?.days ?? []), [view]);
  const totals = useMemo(() => analyticsTotals(view?.days ?? []), [view]);
  const profile = useOpenProfile();
  const noDatabase =
    analytics.status === 'error' && analytics.error.code === 'ASSISTANT_DB_MISSING';
  // A folder of another app (Open WebUI, Ollama) keeps no analytics of the kind Tend reads:
  // that is a fact about the folder, not an error to retry.
  const unsupported =
    analytics.status === 'error' && analytics.error.code === 'PROFILE_UNSUPPORTED';

  return (
    <div className="analytics" data-testid="analytics-chart">
      <div className="panel-head">
        <h3 className="analytics-title">
          How {profile?.appName ?? 'the assistant'} was used, day by day
        </h3>
        {unsupported ? null : (
          <div className="segmented" role="group" aria-label="Range">
            {ranges.map(([value, label]) => (
              <button
                key={value}
                type="button"
                className={value === range ? 'segment segment-active' : 'segment'}
                aria-pressed={value === range}
                onClick={() => void load(value)}
              >
                {label}
              </button>
            ))}
          </div>
        )}
      </div>
      {unsupported ? (
        <p className="muted" data-testid="analytics-unsupported">
          {capitalised(possessive(profile?.appName ?? 'this app'))} folder keeps no analytics that
          Tend reads.
        </p>
      ) : noDatabase ? (
        <p className="muted">
          This data folder has no assistant database yet: no analytics to show.
        </p>
      ) : analytics.status === 'error' ? (
        <ErrorBox
          error={analytics.error}
          title="Could not read the daily analytics"
          onRetry={() => void load()}
        />
      ) : null}
      {!view ? (
        noDatabase || unsupported || analytics.status === 'error' ? null : (
          <Loading label="Reading the daily figures…" />
        )
      ) : (
        <>
          <p className="muted" data-testid="analytics-totals">
            {formatDay(view.from)} to {formatDay(view.to)}:{' '}
            {countOf(totals.interactions, 'interaction')}
            {totals.successRate !== null ? `, ${totals.successRate}% successful` : ''}
            {totals.meanResponseMs !== null
              ? `, mean response ${(totals.meanResponseMs / 1000).toFixed(2)} s`
              : ''}
            {totals.meanRating !== null ? `, mean rating ${totals.meanRating.toFixed(1)} of 5` : ''}
            . Read in {Math.round(view.durationMs)} ms.
          </p>
          <div className="analytics-chart" aria-label="Interactions per day, by tier">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart
                data={data}
                margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
                barCategoryGap={0}
              >
                <CartesianGrid strokeDasharray="3 3" stroke="#dfe3da" vertical={false} />
                <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={36} />
                <YAxis
                  tick={{ fontSize: 12 }}
                  width={56}
                  allowDecimals={false}
                  tickFormatter={(value: number) => formatCount(value)}
                />
                <Tooltip content={DayTooltip} cursor={{ fill: 'rgb(0 0 0 / 6%)' }} />
                {tiers.map((tier) => (
                  <Bar
                    key={tier}
                    dataKey={tier}
                    stackId="tier"
                    fill={tierInfo[tier].colour}
                    isAnimationActive={false}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="analytics-legend">
            {tiers.map((tier) => (
              <li key={tier} data-testid={`analytics-tier-${tier}`}>
                <span className="swatch" style={{ background: tierInfo[tier].colour }} />
                <span>
                  <strong>{tierInfo[tier].label}</strong> {tierInfo[tier].holds}:{' '}
                  <span className="numeric">
                    {countOf(totals.daysByTier[tier], 'day')},{' '}
                    {countOf(totals.interactionsByTier[tier], 'interaction')}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
