/** A schedule's four terms as the forms hold them: `datetime-local` values and numbers as typed. */
export interface ScheduleTerms {
  startsAt: string;
  bookingOpensAt: string;
  maxSeatsPerFan: string;
  refundCutoffHours: string;
}

/** A new schedule's form before anything is typed. */
export const NEW_SCHEDULE_TERMS: ScheduleTerms = { startsAt: '', bookingOpensAt: '', maxSeatsPerFan: '4', refundCutoffHours: '24' };

/** The four fields of a schedule's terms, shared by the new-schedule and edit-schedule forms. */
export function ScheduleTermsFields({ terms, onChange }: { terms: ScheduleTerms; onChange: (terms: ScheduleTerms) => void }) {
  const set = (name: keyof ScheduleTerms) => (event: { target: { value: string } }) => onChange({ ...terms, [name]: event.target.value });
  return (
    <div className="form-grid">
      <label>
        Starts at
        <input type="datetime-local" name="startsAt" required value={terms.startsAt} onChange={set('startsAt')} />
      </label>
      <label>
        Booking opens at
        <input type="datetime-local" name="bookingOpensAt" required value={terms.bookingOpensAt} onChange={set('bookingOpensAt')} />
      </label>
      <label>
        Most seats per fan
        <input type="number" name="maxSeatsPerFan" min={1} max={10} required value={terms.maxSeatsPerFan} onChange={set('maxSeatsPerFan')} />
      </label>
      <label>
        Refund cutoff (hours before the show)
        <input type="number" name="refundCutoffHours" min={0} max={8760} required value={terms.refundCutoffHours} onChange={set('refundCutoffHours')} />
      </label>
    </div>
  );
}
