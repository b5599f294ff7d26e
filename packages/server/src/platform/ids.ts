import { v7 } from 'uuid';

/** Creates a UUIDv7: time-ordered, so new rows land at the end of their indexes. */
export function newId(): string {
  return v7();
}
