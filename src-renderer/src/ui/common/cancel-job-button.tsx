import { useState } from 'react';
import { X } from 'lucide-react';
import type { TendError } from '../../../../src-shared/errors';
import { useTend } from '../../store/use-tend';
import { Spinner } from './loading';

/**
 * A running job's Cancel button: asks the engine to cancel the job, shows a spinner and stays
 * disabled while the request is in flight, and hands a refusal to `onError` (the job list shows
 * it under the job; where no one listens, the job's own end says what happened).
 */
export function CancelJobButton(props: {
  jobId: string;
  onError?: (error: TendError | null) => void;
}): React.JSX.Element {
  const { jobId, onError } = props;
  const cancelJob = useTend((state) => state.cancelJob);
  const [cancelling, setCancelling] = useState(false);

  async function cancel(): Promise<void> {
    setCancelling(true);
    onError?.(null);
    try {
      const result = await cancelJob(jobId);
      if (!result.ok) onError?.(result.error);
    } finally {
      setCancelling(false);
    }
  }

  return (
    <button
      type="button"
      className="button button-small"
      data-cancelling={cancelling ? 'true' : undefined}
      disabled={cancelling}
      onClick={() => void cancel()}
    >
      {cancelling ? <Spinner /> : <X size={14} aria-hidden />} Cancel
    </button>
  );
}
