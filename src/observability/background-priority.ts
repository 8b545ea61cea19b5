import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The lowest scheduling priority (Unix nice value). */
const lowest = 19;

/**
 * Lowers the scheduling priority of the calling thread, on Linux, where a thread has an id of its own
 * (`/proc/thread-self`) that `setpriority` accepts. Work on such a thread (exporting telemetry) then takes the
 * cores when serving requests leaves them idle rather than competing with it. Returns whether it did.
 */
export function lowerThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, lowest);
    return true;
  } catch {
    return false;
  }
}
