import { randomUUID } from 'node:crypto';

/**
 * Run ids sort by creation time (a readable UTC stamp) and stay unique (a random suffix); they are also
 * folder names, so only [0-9A-Za-z-] appear.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', '-').replace('Z', '');
  return `${stamp}-${randomUUID().slice(0, 8)}`;
}

/** Guards path joins against ids coming from files or the UI. */
export function isSafeRunId(id: string): boolean {
  return /^[0-9A-Za-z][0-9A-Za-z-]{0,80}$/.test(id);
}
