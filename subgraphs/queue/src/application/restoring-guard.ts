import { ServiceUnavailable } from '@ticketing/platform';
import type { WaitingRoom } from './ports';

/**
 * The waiting room is being restored after Redis lost data: asked again in a moment, it answers.
 * Fans see SERVICE_UNAVAILABLE with retryAfterSeconds (the platform's error formatter), booking's
 * admission check a 503 it passes on the same way.
 */
export class WaitingRoomRestoring extends ServiceUnavailable {
  constructor() {
    super('The waiting room is being restored after a restart; your place is kept. Try again in a moment', 1);
    this.name = 'WaitingRoomRestoring';
  }
}

/**
 * The waiting room as fans and booking reach it: refused while a restore runs. A fan entering
 * then could take a number the restore is about to give back to its owner; a ticket read then
 * could be missing although it exists. The admission worker and the restore use the room itself,
 * and so does the retirement of confirmed bookings: retiring is idempotent and only moves a ticket
 * forward, which a restore never undoes; a retirement that meets a ticket not yet restored retires
 * nothing, and that ticket's slot comes free at its expiry instead (a delay, never a double sale).
 */
export function guardedWhileRestoring(room: WaitingRoom, restoring: () => boolean): WaitingRoom {
  const guard =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      restoring() ? Promise.reject(new WaitingRoomRestoring()) : method(...args);
  return {
    ...room,
    enter: guard(room.enter.bind(room)),
    read: guard(room.read.bind(room)),
    readTicket: guard(room.readTicket.bind(room)),
    ownerOf: guard(room.ownerOf.bind(room)),
  };
}
