import { beforeEach } from 'vitest';

/**
 * Makes the tests of the enclosing describe block steps of one story: each builds on the state
 * the earlier ones left, so after a failure the later steps are skipped rather than run into
 * their own timeouts. Call it at the top of the describe block.
 */
export function skipStepsAfterFailure(): void {
  let failedStep: string | undefined;

  beforeEach((context) => {
    if (failedStep !== undefined) context.skip(`skipped because "${failedStep}" failed`);
    context.onTestFailed(() => {
      failedStep = context.task.name;
    });
  });
}
