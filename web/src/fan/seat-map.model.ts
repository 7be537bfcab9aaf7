/**
 * The seat map's pure rules: drawing order (section → row → number), applying live updates and
 * choosing seats. No React here, so the unit specs cover it without a browser.
 */
export type SeatStatus = 'AVAILABLE' | 'HELD' | 'SOLD' | 'BLOCKED';

export interface MapSeat {
  id: string;
  section: string;
  row: string;
  number: number;
  price: number;
  status: SeatStatus;
}

export interface MapSection {
  section: string;
  rows: Array<{ row: string; seats: MapSeat[] }>;
}

const byText = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Sections and rows in natural order ("Row 2" before "Row 10"), seats by number. */
export function layOut(seats: readonly MapSeat[]): MapSection[] {
  const sections = new Map<string, Map<string, MapSeat[]>>();
  for (const seat of seats) {
    const rows = sections.get(seat.section) ?? new Map<string, MapSeat[]>();
    sections.set(seat.section, rows);
    rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat]);
  }
  return [...sections.keys()].sort(byText).map((section) => {
    const rows = sections.get(section)!;
    return {
      section,
      rows: [...rows.keys()].sort(byText).map((row) => ({ row, seats: [...rows.get(row)!].sort((a, b) => a.number - b.number) })),
    };
  });
}

/** A `seatsUpdated` push carries only the seats that changed: overlay them on the map. */
export function applyUpdate(seats: readonly MapSeat[], changed: SeatUpdate): MapSeat[] {
  const updates = new Map(changed.map((seat) => [seat.id, seat]));
  return seats.map((seat) => {
    const update = updates.get(seat.id);
    return update ? { ...seat, ...update } : seat;
  });
}

/** A `seatsUpdated` push: the seats that changed. */
export type SeatUpdate = ReadonlyArray<Pick<MapSeat, 'id' | 'status'> & Partial<MapSeat>>;

/**
 * Keeps a re-read of the map from undoing pushes. A read answers with the map as it was when
 * the server read it; a push that arrived while the read was on its way may be newer (the fan
 * re-reads at once when a hold is refused, just as the winner's hold is being projected), and the
 * read's answer would otherwise replace it for good. Each read notes where it started; its answer
 * gets every push since then applied again, in the order they came, so the newest state of each
 * seat wins. Pushes are kept only while some read is in flight.
 */
export function createPushLedger() {
  let inFlight = 0;
  let pushes: SeatUpdate[] = [];
  /** A read is sent: the mark its answer is merged from. */
  const readStarted = (): number => {
    inFlight += 1;
    return pushes.length;
  };
  /** The read's answer with every push since `mark` applied on top. */
  const merged = (mark: number, loaded: readonly MapSeat[]): MapSeat[] =>
    pushes.slice(mark).reduce<MapSeat[]>((seats, update) => applyUpdate(seats, update), [...loaded]);
  /** The read ended, answered or not. */
  const readEnded = (): void => {
    inFlight -= 1;
    if (inFlight === 0) pushes = [];
  };
  return {
    readStarted,
    merged,
    readEnded,
    /** A push arrived (apply it to the map as usual, too). */
    pushed(update: SeatUpdate): void {
      if (inFlight > 0) pushes.push(update);
    },
    /** A read of the map from start to end: its answer, and the seats in it with every push since applied on top. */
    async read<A>(load: () => Promise<A>, seatsOf: (answer: A) => readonly MapSeat[]): Promise<{ answer: A; seats: MapSeat[] }> {
      const mark = readStarted();
      try {
        const answer = await load();
        return { answer, seats: merged(mark, seatsOf(answer)) };
      } finally {
        readEnded();
      }
    },
  };
}

export type Selection = readonly string[];

export type ToggleOutcome = { selection: Selection } | { refused: 'NOT_AVAILABLE' | 'LIMIT'; selection: Selection };

/** Adds or removes one seat; only available seats, at most `limit` of them. */
export function toggleSeat(selection: Selection, seat: MapSeat, limit: number): ToggleOutcome {
  if (selection.includes(seat.id)) return { selection: selection.filter((id) => id !== seat.id) };
  if (seat.status !== 'AVAILABLE') return { refused: 'NOT_AVAILABLE', selection };
  if (selection.length >= limit) return { refused: 'LIMIT', selection };
  return { selection: [...selection, seat.id] };
}

/** Drops chosen seats that someone else took meanwhile (the map changed under the fan). */
export function keepAvailable(selection: Selection, seats: readonly MapSeat[]): Selection {
  const available = new Set(seats.filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.id));
  const kept = selection.filter((id) => available.has(id));
  return kept.length === selection.length ? selection : kept;
}

export const seatLabel = (seat: Pick<MapSeat, 'section' | 'row' | 'number'>) => `${seat.section}, row ${seat.row}, seat ${seat.number}`;
