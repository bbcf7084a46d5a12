/** A thin progress bar; `fraction` null shows an indeterminate one (the total is not known yet). */
export function ProgressBar(props: { fraction: number | null; label: string }): React.JSX.Element {
  const { fraction, label } = props;
  const percent = fraction === null ? null : Math.round(fraction * 1000) / 10;
  return (
    <div
      className={percent === null ? 'progress progress-indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div className="progress-fill" style={{ width: percent === null ? '30%' : `${percent}%` }} />
    </div>
  );
}
