/**
 * Runs `work` and counts the event loop's turns meanwhile (a setImmediate that re-arms
 * itself): how often a long job let the loop run.
 */
export async function loopTurnsDuring<T>(
  work: () => Promise<T>,
): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { value: await work(), turns };
  } finally {
    done = true;
  }
}
