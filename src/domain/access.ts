import Decimal from 'decimal.js';
import { median } from './metrics/statistics';

/** What an access attempt's outcome means for getting capacity. */
export type AccessOutcomeName =
  | 'PENDING'
  | 'APPROVED'
  | 'SOFT_DENY_WRONG_LANE'
  | 'DENIED'
  | 'NO_ANSWER'
  | 'ESCALATED';

/** Outcomes that have not (yet) given an answer: the request is still waiting for capacity. */
export function isAwaitingAnswer(outcome: AccessOutcomeName): boolean {
  return outcome === 'PENDING' || outcome === 'NO_ANSWER' || outcome === 'ESCALATED';
}

export interface AttemptRecord {
  requestedAt: Date;
  answeredAt: Date | null;
  outcome: AccessOutcomeName;
}

export interface AccessPathFigures {
  attempts: number;
  answered: number;
  /** Hours from request to answer, over answered attempts; null when none was answered. */
  medianHoursToAnswer: number | null;
  /**
   * The worst wait seen: the longest answered wait, or, for an attempt still unanswered, the time it
   * has waited so far (at `now`), which is a lower bound on its wait.
   */
  worstHoursToAnswer: number | null;
  worstIsStillOpen: boolean;
  /** Approved attempts over decided ones (approved, denied, soft-denied); null when none was decided. */
  successRate: number | null;
  /** Hours from request to an approval that gave usable capacity; null when no attempt got any. */
  hoursToFirstUsableCapacity: number | null;
}

const HOUR_MS = 3_600_000;

export function accessPathFigures(attempts: AttemptRecord[], now: Date): AccessPathFigures {
  const answeredWaits = attempts
    .filter((attempt) => attempt.answeredAt !== null)
    .map((attempt) => ((attempt.answeredAt as Date).getTime() - attempt.requestedAt.getTime()) / HOUR_MS);
  const openWaits = attempts
    .filter((attempt) => attempt.answeredAt === null)
    .map((attempt) => (now.getTime() - attempt.requestedAt.getTime()) / HOUR_MS);
  const worstAnswered = answeredWaits.length ? Math.max(...answeredWaits) : null;
  const worstOpen = openWaits.length ? Math.max(...openWaits) : null;
  const worstIsStillOpen = worstOpen !== null && (worstAnswered === null || worstOpen > worstAnswered);
  const decided = attempts.filter((attempt) =>
    ['APPROVED', 'DENIED', 'SOFT_DENY_WRONG_LANE'].includes(attempt.outcome),
  );
  const approvals = attempts.filter(
    (attempt) => attempt.outcome === 'APPROVED' && attempt.answeredAt !== null,
  );
  const approvalWaits = approvals.map(
    (attempt) => ((attempt.answeredAt as Date).getTime() - attempt.requestedAt.getTime()) / HOUR_MS,
  );
  return {
    attempts: attempts.length,
    answered: answeredWaits.length,
    medianHoursToAnswer: answeredWaits.length ? median(answeredWaits) : null,
    worstHoursToAnswer: worstIsStillOpen ? worstOpen : worstAnswered,
    worstIsStillOpen,
    successRate: decided.length ? approvals.length / decided.length : null,
    hoursToFirstUsableCapacity: approvalWaits.length ? Math.min(...approvalWaits) : null,
  };
}

/** The least one must spend to get any capacity at all through a path: its minimum commitment. */
export function minimumSpend(minimumCommitmentAmount: Decimal | null): Decimal {
  return minimumCommitmentAmount ?? new Decimal(0);
}
