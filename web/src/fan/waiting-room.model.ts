/** What the waiting room says about a ticket, by its state (pure; unit-tested). */
export interface TicketView {
  status: 'WAITING' | 'ACTIVE' | 'EXPIRED';
  position?: number | null;
  estimatedWaitSeconds?: number | null;
  expiresAt?: string | null;
  opensAt?: string | null;
}

export type WaitingRoomState =
  | { kind: 'pre-queue'; opensAt: string | null }
  | { kind: 'in-line'; position: number; etaSeconds: number | null }
  | { kind: 'paused'; position?: number }
  | { kind: 'admitted'; expiresAt: string | null }
  | { kind: 'expired' };

/**
 * WAITING with no position is the pre-queue before opening, or a line held still (paused, sales
 * closed); with a position but no estimate, the line is held still too (the API gives no ETA
 * while paused or closed), and the fan keeps their number.
 */
export function waitingRoomState(ticket: TicketView, now: Date): WaitingRoomState {
  switch (ticket.status) {
    case 'ACTIVE':
      return { kind: 'admitted', expiresAt: ticket.expiresAt ?? null };
    case 'EXPIRED':
      return { kind: 'expired' };
    case 'WAITING':
      if (ticket.position != null) {
        return ticket.estimatedWaitSeconds == null ? { kind: 'paused', position: ticket.position } : { kind: 'in-line', position: ticket.position, etaSeconds: ticket.estimatedWaitSeconds };
      }
      if (ticket.opensAt && new Date(ticket.opensAt) > now) return { kind: 'pre-queue', opensAt: ticket.opensAt };
      return { kind: 'paused' };
  }
}

/** "about 2 min 5 s" — an estimate, so rounded to what a person reads. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  return `about ${minutes} min ${Math.round(seconds % 60)} s`;
}
