import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { onResync, request, subscribe } from '../api/client';
import { layOut, seatLabel, applyUpdate, createPushLedger, type MapSeat, type Selection, type SeatUpdate } from '../fan/seat-map.model';
import { SeatGrid } from '../fan/seat-map';
import { graphql } from '../generated';
import { money } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';
import { adminMessage, Notice, useAction } from './admin-shell';
import { isoFromLocalInput, localInputFromIso } from './bookings.model';
import { ScheduleHeader, useAdminSchedule, type AdminScheduleView } from './schedule-header';
import { ScheduleTermsFields, type ScheduleTerms } from './schedule-terms';
import { adminCanChoose, keepChoosable, parseRows, seatActions, toggleAdminSeat } from './seat-actions.model';

const AdminSeats = graphql(`
  query AdminSeats($id: ID!) { schedule(id: $id) { id seats { id section row number price status } } }
`);

const AdminSeatsUpdated = graphql(`
  subscription AdminSeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status price } }
`);

const UpdateSchedule = graphql(`
  mutation AdminUpdateSchedule($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { id } }
`);

const AddSeats = graphql(`
  mutation AdminAddSeats($scheduleId: ID!, $blocks: [SeatBlockInput!]!) {
    addSeats(scheduleId: $scheduleId, blocks: $blocks) { id seats { id section row number price status } }
  }
`);

const SetSectionPrice = graphql(`
  mutation AdminSetSectionPrice($scheduleId: ID!, $section: String!, $price: Int!) {
    setSectionPrice(scheduleId: $scheduleId, section: $section, price: $price) { id seats { id section row number price status } }
  }
`);

const BlockSeats = graphql(`
  mutation AdminBlockSeats($scheduleId: ID!, $seatIds: [ID!]!, $reason: String!) { blockSeats(scheduleId: $scheduleId, seatIds: $seatIds, reason: $reason) { id } }
`);

const ReleaseSeats = graphql(`
  mutation AdminReleaseSeats($scheduleId: ID!, $seatIds: [ID!]!) { releaseSeats(scheduleId: $scheduleId, seatIds: $seatIds) { id } }
`);

const BookBlockedSeats = graphql(`
  mutation AdminBookBlockedSeats($scheduleId: ID!, $seatIds: [ID!]!, $guestName: String!) {
    bookBlockedSeats(scheduleId: $scheduleId, seatIds: $seatIds, guestName: $guestName) { id status guestName seats { id } }
  }
`);

const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** A schedule's details, its seat layout and prices, and the seats held back from sale. */
export function SeatsPage({ scheduleId }: { scheduleId: string }) {
  const { schedule, problem, reload } = useAdminSchedule(scheduleId);
  const [seats, setSeats] = useState<MapSeat[] | null>(null);
  const [seatsProblem, setSeatsProblem] = useState<string | null>(null);

  // As on the fan's map: changes that land while the seats are being read survive the read's answer (createPushLedger).
  const ledger = useMemo(() => createPushLedger(), []);
  const applyChange = useCallback(
    (changed: SeatUpdate) => {
      ledger.pushed(changed);
      setSeats((shown) => shown && applyUpdate(shown, changed));
    },
    [ledger],
  );

  const readSeats = useCallback(async () => {
    try {
      setSeats((await ledger.read(() => request(AdminSeats, { id: scheduleId }), (answer) => answer.schedule?.seats ?? [])).seats);
    } catch (error) {
      setSeatsProblem(adminMessage(error));
    }
  }, [scheduleId, ledger]);
  useEffect(() => void readSeats(), [readSeats]);
  useEffect(() => subscribe(AdminSeatsUpdated, { scheduleId }, { next: ({ seatsUpdated }) => applyChange(seatsUpdated) }), [scheduleId, applyChange]);
  useEffect(() => onResync(() => void readSeats()), [readSeats]);

  if (!schedule) return problem ? <Problem message={problem} /> : <Loading what="the schedule" />;
  return (
    <section aria-labelledby="screen-title">
      <ScheduleHeader schedule={schedule} screen="Seats and prices" />
      {/* Not keyed by the times: a remount after a save of a new start would drop its "Schedule saved." (the fields already hold what was saved). */}
      <ScheduleForm schedule={schedule} onSaved={reload} />
      <AddSeatsForm scheduleId={scheduleId} onAdded={setSeats} />
      <Problem message={seatsProblem} />
      {!seats ? (
        !seatsProblem && <Loading what="the seats" />
      ) : (
        <>
          <SectionPrices scheduleId={scheduleId} seats={seats} frozen={Boolean(schedule.pricesFrozenAt)} onChanged={setSeats} />
          <BlockedSeats scheduleId={scheduleId} seats={seats} onChanged={applyChange} />
        </>
      )}
    </section>
  );
}

function ScheduleForm({ schedule, onSaved }: { schedule: AdminScheduleView; onSaved: () => Promise<void> }) {
  const [terms, setTerms] = useState<ScheduleTerms>(() => ({
    startsAt: localInputFromIso(schedule.startsAt),
    bookingOpensAt: localInputFromIso(schedule.bookingOpensAt),
    maxSeatsPerFan: String(schedule.maxSeatsPerFan),
    refundCutoffHours: String(schedule.refundCutoffHours),
  }));
  const { busy, problem, notice, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      // Only what changed: a start left alone is not re-validated as "in the future".
      const input = {
        ...(terms.startsAt !== localInputFromIso(schedule.startsAt) ? { startsAt: isoFromLocalInput(terms.startsAt) } : {}),
        ...(terms.bookingOpensAt !== localInputFromIso(schedule.bookingOpensAt) ? { bookingOpensAt: isoFromLocalInput(terms.bookingOpensAt) } : {}),
        maxSeatsPerFan: Number(terms.maxSeatsPerFan),
        refundCutoffHours: Number(terms.refundCutoffHours),
      };
      await request(UpdateSchedule, { id: schedule.id, input });
      await onSaved();
      return 'Schedule saved.';
    });
  };
  return (
    <form className="panel" aria-labelledby="schedule-form-title" onSubmit={submit}>
      <h2 id="schedule-form-title">Schedule</h2>
      <ScheduleTermsFields terms={terms} onChange={setTerms} />
      <Problem message={problem} />
      <Notice message={notice} />
      <button type="submit" disabled={busy}>
        Save schedule
      </button>
    </form>
  );
}

function AddSeatsForm({ scheduleId, onAdded }: { scheduleId: string; onAdded: (seats: MapSeat[]) => void }) {
  const [section, setSection] = useState('');
  const [rows, setRows] = useState('');
  const [perRow, setPerRow] = useState('10');
  const [price, setPrice] = useState('');
  const { busy, problem, notice, run } = useAction();
  const parsedRows = parseRows(rows);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { addSeats } = await request(AddSeats, { scheduleId, blocks: [{ section: section.trim(), rows: parsedRows, seatsPerRow: Number(perRow), price: Number(price) }] });
      onAdded(addSeats.seats);
      return `${plural(parsedRows.length * Number(perRow), 'seat')} added to section ${section.trim()}.`;
    });
  };
  return (
    <form className="panel" aria-labelledby="add-seats-title" onSubmit={submit}>
      <h2 id="add-seats-title">Add seats</h2>
      <p className="muted">Each row gets seats numbered from 1. Rows: a list (A, B, C) or a range (A-C, 1-20).</p>
      <div className="form-grid">
        <label>
          Section
          <input name="section" required maxLength={100} value={section} onChange={(event) => setSection(event.target.value)} />
        </label>
        <label>
          Rows
          <input name="rows" required value={rows} onChange={(event) => setRows(event.target.value)} aria-describedby="rows-parsed" />
        </label>
        <label>
          Seats per row
          <input type="number" name="seatsPerRow" min={1} max={500} required value={perRow} onChange={(event) => setPerRow(event.target.value)} />
        </label>
        <label>
          Price (KRW)
          <input type="number" name="price" min={0} max={10_000_000} required value={price} onChange={(event) => setPrice(event.target.value)} />
        </label>
      </div>
      <p id="rows-parsed" className="muted">
        {parsedRows.length > 0 ? `${plural(parsedRows.length, 'row')} (${parsedRows.join(', ')}) × ${perRow || 0} seats` : 'No rows yet.'}
      </p>
      <Problem message={problem} />
      <Notice message={notice} />
      <button type="submit" disabled={busy || parsedRows.length === 0}>
        Add seats
      </button>
    </form>
  );
}

function SectionPrices({ scheduleId, seats, frozen, onChanged }: { scheduleId: string; seats: readonly MapSeat[]; frozen: boolean; onChanged: (seats: MapSeat[]) => void }) {
  const sections = useMemo(() => layOut(seats).map(({ section, rows }) => ({ section, prices: [...new Set(rows.flatMap((row) => row.seats.map((seat) => seat.price)))] })), [seats]);
  if (sections.length === 0) return null;
  return (
    <div className="panel" aria-labelledby="prices-title">
      <h2 id="prices-title">Section prices</h2>
      {frozen && <p className="muted">Prices are frozen: fans have been admitted, and no fan pays a price set after they were let in.</p>}
      {sections.map(({ section, prices }) => (
        <SectionPriceForm key={section} scheduleId={scheduleId} section={section} prices={prices} onChanged={onChanged} />
      ))}
    </div>
  );
}

function SectionPriceForm({ scheduleId, section, prices, onChanged }: { scheduleId: string; section: string; prices: number[]; onChanged: (seats: MapSeat[]) => void }) {
  const [price, setPrice] = useState(prices.length === 1 ? String(prices[0]) : '');
  const { busy, problem, notice, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { setSectionPrice } = await request(SetSectionPrice, { scheduleId, section, price: Number(price) });
      onChanged(setSectionPrice.seats);
      return `Section ${section} now costs ${money(Number(price))} a seat.`;
    });
  };
  return (
    <form className="inline" aria-label={`Price of section ${section}`} onSubmit={submit}>
      <label>
        {`Section ${section} price (KRW)`}
        <input type="number" name="price" min={0} max={10_000_000} required value={price} onChange={(event) => setPrice(event.target.value)} />
      </label>
      <span className="muted">now {prices.map(money).join(' to ')}</span>
      <button type="submit" disabled={busy}>
        Set price of section {section}
      </button>
      <Problem message={problem} />
      <Notice message={notice} />
    </form>
  );
}

const STATUS_WORDS: Record<MapSeat['status'], string> = { AVAILABLE: 'available', HELD: 'held by a fan', SOLD: 'sold', BLOCKED: 'blocked' };

function BlockedSeats({ scheduleId, seats, onChanged }: { scheduleId: string; seats: readonly MapSeat[]; onChanged: (changed: Array<Pick<MapSeat, 'id' | 'status'>>) => void }) {
  const [selection, setSelection] = useState<Selection>([]);
  const [reason, setReason] = useState('');
  const [guest, setGuest] = useState('');
  const { busy, problem, notice, run } = useAction();
  useEffect(() => setSelection((current) => keepChoosable(current, seats)), [seats]);
  const { toBlock, blocked } = seatActions(seats, selection);

  // Each answer's seats take the status the mutation made, not the Seat.status the gateway read from the
  // catalog for it: the catalog projects booking's event a moment later, so that read can still say the
  // old status, and the push with the new one can reach the page before the answer does (seen in CI: a
  // blocked seat shown AVAILABLE for good). The comp below already worked this way.
  const block = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { blockSeats } = await request(BlockSeats, { scheduleId, seatIds: toBlock, reason });
      onChanged(blockSeats.map((seat) => ({ id: seat.id, status: 'BLOCKED' as const })));
      setSelection([]);
      return `${plural(blockSeats.length, 'seat')} blocked.`;
    });
  };
  const release = () =>
    void run(async () => {
      const { releaseSeats } = await request(ReleaseSeats, { scheduleId, seatIds: blocked });
      onChanged(releaseSeats.map((seat) => ({ id: seat.id, status: 'AVAILABLE' as const })));
      setSelection([]);
      return `${plural(releaseSeats.length, 'seat')} back on sale.`;
    });
  const comp = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { bookBlockedSeats } = await request(BookBlockedSeats, { scheduleId, seatIds: blocked, guestName: guest });
      onChanged(bookBlockedSeats.seats.map((seat) => ({ id: seat.id, status: 'SOLD' as const })));
      setSelection([]);
      setGuest('');
      return `${plural(bookBlockedSeats.seats.length, 'seat')} booked for ${bookBlockedSeats.guestName ?? guest} (booking ${bookBlockedSeats.id}).`;
    });
  };

  return (
    <div className="panel" aria-labelledby="blocked-title">
      <h2 id="blocked-title">Seat map: block, release, book for a guest</h2>
      <p className="muted">Choose available seats to block them, or blocked seats to release them or book them for a guest. The map updates live.</p>
      <div className="seat-map admin-map">
        <ul className="legend" aria-label="Seat colours">
          {(['available', 'blocked', 'held', 'sold'] as const).map((kind) => (
            <li key={kind}>
              <span className={`swatch ${kind}`} aria-hidden="true" /> {kind}
            </li>
          ))}
          <li>
            <span className="swatch selected" aria-hidden="true" /> chosen
          </li>
        </ul>
        {seats.length === 0 && <p>No seats yet: add some above.</p>}
        <SeatGrid
          seats={seats}
          selection={selection}
          canChoose={adminCanChoose}
          describe={(seat, chosen) => `${seatLabel(seat)}, ${money(seat.price)}, ${STATUS_WORDS[seat.status]}${chosen ? ', chosen' : ''}`}
          onToggle={(seat) => setSelection((current) => toggleAdminSeat(current, seat))}
        />
      </div>
      <p role="status">
        {selection.length === 0 ? 'No seats chosen.' : `${plural(toBlock.length, 'available seat')} and ${plural(blocked.length, 'blocked seat')} chosen.`}
      </p>
      <form className="inline" aria-label="Block seats" onSubmit={block}>
        <label>
          Reason for blocking
          <input name="reason" required maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        <button type="submit" disabled={busy || toBlock.length === 0}>
          Block {plural(toBlock.length, 'seat')}
        </button>
      </form>
      <div className="actions">
        <button type="button" className="secondary" onClick={release} disabled={busy || blocked.length === 0}>
          Release {plural(blocked.length, 'seat')}
        </button>
      </div>
      <form className="inline" aria-label="Book for a guest" onSubmit={comp}>
        <label>
          Guest name
          <input name="guestName" required maxLength={200} value={guest} onChange={(event) => setGuest(event.target.value)} />
        </label>
        <button type="submit" disabled={busy || blocked.length === 0}>
          Book {plural(blocked.length, 'seat')} for the guest
        </button>
      </form>
      <Problem message={problem} />
      <Notice message={notice} />
    </div>
  );
}
