/**
 * The Cancel action every store gives its running job: mark the job as cancelling (so its button
 * says so at once) and ask the worker to abort it. The job ends when the worker's promise settles.
 */
export function cancelJob<J extends { cancelling: boolean }>(current: () => J | null, update: (job: J) => void, running: { cancel(): void }): () => void {
  return () => {
    const job = current();
    if (job) update({ ...job, cancelling: true });
    running.cancel();
  };
}
