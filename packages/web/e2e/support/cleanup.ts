/**
 * Runs every clean-up step in order, even after one fails, so a browser that will not close
 * cannot leave the server and its database running. Raises the first failure at the end.
 *
 * @example
 * afterAll(() => cleanUp(() => browser?.close(), () => server?.stop()));
 */
export async function cleanUp(...steps: readonly (() => Promise<unknown> | undefined)[]) {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
