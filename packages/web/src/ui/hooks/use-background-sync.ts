import { useEffect } from 'react';
import { startBackgroundSync } from '../../data/index.ts';

/** React hook: runs background sync while `userId` is set and stops it when it is cleared. */
export function useBackgroundSync(userId: string | null): void {
  useEffect(() => {
    if (!userId) {
      return;
    }

    return startBackgroundSync();
  }, [userId]);
}
