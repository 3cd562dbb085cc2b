import type { ListeningStatus } from '../model/progress.js';

/** Finished flag or 100 % -> finished; anything above 0 % -> in progress; else not started. */
export function statusFrom(percent: number, isFinished: boolean): ListeningStatus {
  if (isFinished || percent >= 100) return 'finished';
  return percent > 0 ? 'in_progress' : 'not_started';
}
