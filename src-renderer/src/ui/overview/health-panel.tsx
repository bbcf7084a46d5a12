import { useEffect } from 'react';
import { categoryInfo } from '../../../../src-shared/models/categories';
import type { MonthGrowth } from '../../../../src-shared/models/health';
import { formatBytes, formatDay } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading } from '../common/loading';
import { AnalyticsChart } from './analytics-chart';
import {
  formatRate,
  growthText,
  overGoal,
  successText,
  verifiedText,
  type FigureText,
} from './health-text';

function Figure(props: {
  testId: string;
  label: string;
  text: FigureText;
  goal: string;
  children?: React.ReactNode;
}): React.JSX.Element {
  const { text } = props;
  return (
    <div className="stat health-figure" data-testid={props.testId}>
      <span className="stat-label">{props.label}</span>
      <span className={text.warning ? 'stat-value stat-value-warning' : 'stat-value'}>
        {text.value}
      </span>
      {text.lines.map((line) => (
        <span key={line} className="stat-detail">
          {line}
        </span>
      ))}
      {props.children}
      <span className="stat-detail health-goal">{props.goal}</span>
    </div>
  );
}

/** This month's growth: the folder's, then each category's, marked when over the goal. */
function growthFigure(growth: MonthGrowth): { text: FigureText; list: React.ReactNode } {
  const goal = growth.goalRatio;
  if (growth.toAt === null) {
    return {
      text: {
        value: 'No scan yet',
        warning: false,
        lines: ['Tend records the size of each category after every scan and once a day.'],
      },
      list: null,
    };
  }
  if (growth.toAt < growth.month) {
    return {
      text: {
        value: 'No scan yet this month',
        warning: false,
        lines: [`The last scan was on ${formatDay(growth.toAt)}.`],
      },
      list: null,
    };
  }
  const since = growth.fromAt ? formatDay(growth.fromAt) : formatDay(growth.month);
  const lines = [
    growth.wholeMonth
      ? `Since ${formatDay(growth.month)}: ${formatBytes(growth.total.fromBytes)} to ${formatBytes(growth.total.toBytes)}`
      : `Since ${since}, when the history begins: ${formatBytes(growth.total.fromBytes)} to ${formatBytes(growth.total.toBytes)}`,
  ];
  const list = (
    <ul className="health-growth-list">
      {growth.categories.map((item) => {
        const over = overGoal(item, goal);
        return (
          <li key={item.category} data-testid={`health-growth-${item.category}`}>
            <span className="swatch" style={{ background: categoryInfo[item.category].colour }} />
            <span className="health-growth-name">{categoryInfo[item.category].label}</span>
            <span className={over ? 'numeric growth-up' : 'numeric muted'}>
              {growthText(item)}
              {over ? ' — over the goal' : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
  return {
    text: { value: growthText(growth.total), warning: overGoal(growth.total, goal), lines },
    list,
  };
}

/**
 * The figures people watch (seed 004's KPIs): backup success over the last 30 days, the last
 * verified backup and its age, growth per category this month, and how the assistant was
 * used day by day across the analytics tiers.
 */
export function HealthPanel(): React.JSX.Element {
  const health = useTend((state) => state.health);
  const watch = useTend((state) => state.watchHealth);
  const load = useTend((state) => state.loadHealth);
  useEffect(() => watch(), [watch]);
  const figures = valueOf(health);
  const growth = figures ? growthFigure(figures.growth) : null;

  return (
    <section className="panel" aria-labelledby="health-title" data-testid="health-panel">
      <div className="panel-head">
        <h2 className="panel-title" id="health-title">
          Health
        </h2>
        {figures ? (
          <span className="muted numeric">read in {Math.round(figures.durationMs)} ms</span>
        ) : null}
      </div>
      {health.status === 'error' ? (
        <ErrorBox
          error={health.error}
          title="Could not read the health figures"
          onRetry={() => void load()}
        />
      ) : null}
      {figures && growth ? (
        <div className="health-figures">
          <Figure
            testId="health-success"
            label={`Backup success, last ${figures.backupSuccess.windowDays} days`}
            text={successText(figures.backupSuccess)}
            goal={`Goal: ${formatRate(figures.backupSuccess.goal)}, a good backup every day`}
          />
          <Figure
            testId="health-verified"
            label="Last verified backup"
            text={verifiedText(figures.verification)}
            goal="A full verification reads every file back and checks its hash."
          />
          <Figure
            testId="health-growth"
            label="Growth this month"
            text={growth.text}
            goal={`Goal: under ${formatRate(figures.growth.goalRatio)} a month`}
          >
            {growth.list}
          </Figure>
        </div>
      ) : health.status !== 'error' ? (
        <Loading label="Reading the health figures…" />
      ) : null}
      <AnalyticsChart />
    </section>
  );
}
