import { useMemo } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { categories, categoryInfo } from '../../../../src-shared/models/categories';
import type { CategoryGrowth, HistoryGranularity } from '../../../../src-shared/models/usage';
import { formatBytes } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';

const granularities: ReadonlyArray<[HistoryGranularity, string]> = [
  ['day', 'Days'],
  ['week', 'Weeks'],
  ['month', 'Months'],
];

function Delta(props: { bytes: number | null }): React.JSX.Element {
  if (props.bytes === null) return <span className="muted">—</span>;
  const sign = props.bytes > 0 ? '+' : props.bytes < 0 ? '−' : '';
  return (
    <span className={props.bytes > 0 ? 'growth-up' : 'muted'}>
      {sign}
      {formatBytes(Math.abs(props.bytes))}
    </span>
  );
}

function GrowthTable(props: { growth: ReadonlyArray<CategoryGrowth> }): React.JSX.Element {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Category</th>
            <th className="num">Now</th>
            <th className="num">Last day</th>
            <th className="num">Last week</th>
            <th className="num">Last month</th>
          </tr>
        </thead>
        <tbody>
          {props.growth.map((row) => (
            <tr key={row.category} data-testid={`growth-${row.category}`}>
              <td>
                <span className="row">
                  <span
                    className="swatch"
                    style={{ background: categoryInfo[row.category].colour }}
                  />
                  {categoryInfo[row.category].label}
                </span>
              </td>
              <td className="num">{formatBytes(row.currentBytes)}</td>
              <td className="num">
                <Delta bytes={row.dayDelta} />
              </td>
              <td className="num">
                <Delta bytes={row.weekDelta} />
              </td>
              <td className="num">
                <Delta bytes={row.monthDelta} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * How the data grew: a stacked area per category over days, weeks or months (recharts), from
 * the snapshot Tend keeps after each scan and at least daily, and the growth of each category.
 */
export function UsageGrowth(): React.JSX.Element {
  const history = useTend((state) => state.usageHistory);
  const granularity = useTend((state) => state.historyGranularity);
  const load = useTend((state) => state.loadUsageHistory);
  const view = valueOf(history);
  const data = useMemo(
    () =>
      (view?.points ?? []).map((point) => ({
        period: point.period,
        ...point.byCategory,
      })),
    [view],
  );

  return (
    <section className="panel" aria-labelledby="usage-growth-title" data-testid="usage-growth">
      <div className="panel-head">
        <h2 className="panel-title" id="usage-growth-title">
          Growth
        </h2>
        <div className="segmented" role="group" aria-label="Period">
          {granularities.map(([value, label]) => (
            <button
              key={value}
              type="button"
              className={value === granularity ? 'segment segment-active' : 'segment'}
              aria-pressed={value === granularity}
              onClick={() => void load(value)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {history.status === 'error' ? (
        <ErrorBox error={history.error} title="Could not read the usage history" />
      ) : null}
      {!view ? (
        <Loading label="Reading the history…" />
      ) : (
        <>
          {data.length < 2 ? (
            <p className="muted">
              Tend records the size of each category after every scan and once a day; the chart
              fills in as days pass.
            </p>
          ) : (
            <div className="growth-chart" aria-label="Size by category over time">
              <ResponsiveContainer width="100%" height={240}>
                <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#dfe3da" />
                  <XAxis dataKey="period" tick={{ fontSize: 12 }} minTickGap={24} />
                  <YAxis
                    tick={{ fontSize: 12 }}
                    width={72}
                    tickFormatter={(value: number) => formatBytes(value)}
                  />
                  <Tooltip
                    formatter={(value, name) => [
                      formatBytes(Number(value)),
                      categoryInfo[name as (typeof categories)[number]]?.label ?? String(name),
                    ]}
                  />
                  {categories.map((category) => (
                    <Area
                      key={category}
                      type="monotone"
                      dataKey={category}
                      stackId="usage"
                      stroke={categoryInfo[category].colour}
                      fill={categoryInfo[category].colour}
                      fillOpacity={0.35}
                      isAnimationActive={false}
                    />
                  ))}
                </AreaChart>
              </ResponsiveContainer>
            </div>
          )}
          <GrowthTable growth={view.growth} />
        </>
      )}
    </section>
  );
}
