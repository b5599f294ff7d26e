/**
 * Moves to the folder the user ran npm from. npm runs workspace scripts inside the package
 * folder, so without this `./data` and `./out` would land in packages/server rather than where
 * the README says.
 */
export function useInvocationDirectory(): void {
  const invokedFrom = process.env.INIT_CWD;
  if (invokedFrom && invokedFrom !== process.cwd()) process.chdir(invokedFrom);
}
