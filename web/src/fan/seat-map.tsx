import { layOut, seatLabel, type MapSeat, type Selection } from './seat-map.model';
import { money } from '../ui/format';

const STATUS_WORDS: Record<MapSeat['status'], string> = { AVAILABLE: 'available', HELD: 'held', SOLD: 'sold', BLOCKED: 'not on sale' };

/**
 * The seats drawn by section and row, one button per seat. Colour shows the status and the
 * selection, and the accessible name says both, so the map reads the same without colour.
 */
export function SeatMap({
  seats,
  selection,
  selectable,
  onToggle,
}: {
  seats: readonly MapSeat[];
  selection: Selection;
  selectable: boolean;
  onToggle: (seat: MapSeat) => void;
}) {
  return (
    <div className="seat-map">
      <ul className="legend" aria-label="Seat colours">
        <li>
          <span className="swatch available" aria-hidden="true" /> available
        </li>
        <li>
          <span className="swatch selected" aria-hidden="true" /> your choice
        </li>
        <li>
          <span className="swatch held" aria-hidden="true" /> held
        </li>
        <li>
          <span className="swatch sold" aria-hidden="true" /> sold
        </li>
      </ul>
      <SeatGrid
        seats={seats}
        selection={selection}
        frozen={!selectable}
        canChoose={(seat) => seat.status === 'AVAILABLE'}
        describe={(seat, chosen) => `${seatLabel(seat)}, ${money(seat.price)}, ${chosen ? 'chosen' : STATUS_WORDS[seat.status]}`}
        onToggle={onToggle}
      />
    </div>
  );
}

/**
 * The seats by section and row, one toggle button per seat, for the fan's map and the admin's
 * alike: what may be chosen and how a seat is named are theirs to say. A chosen seat stays
 * pressable (to un-choose it) whatever its status has become, unless the whole grid is frozen
 * (a fan whose turn is over).
 */
export function SeatGrid({
  seats,
  selection,
  frozen = false,
  canChoose,
  describe,
  onToggle,
}: {
  seats: readonly MapSeat[];
  selection: Selection;
  frozen?: boolean;
  canChoose: (seat: MapSeat) => boolean;
  describe: (seat: MapSeat, chosen: boolean) => string;
  onToggle: (seat: MapSeat) => void;
}) {
  return (
    <>
      {layOut(seats).map(({ section, rows }) => (
        <fieldset key={section} className="section">
          <legend>Section {section}</legend>
          {rows.map(({ row, seats: rowSeats }) => (
            <div key={row} className="seat-row">
              <span className="row-label" aria-hidden="true">
                {row}
              </span>
              {rowSeats.map((seat) => {
                const chosen = selection.includes(seat.id);
                return (
                  <button
                    key={seat.id}
                    type="button"
                    className={`seat ${seat.status.toLowerCase()}${chosen ? ' selected' : ''}`}
                    data-seat-id={seat.id}
                    data-status={seat.status}
                    aria-pressed={chosen}
                    aria-label={describe(seat, chosen)}
                    disabled={frozen || (!canChoose(seat) && !chosen)}
                    onClick={() => onToggle(seat)}
                  >
                    {seat.number}
                  </button>
                );
              })}
            </div>
          ))}
        </fieldset>
      ))}
    </>
  );
}
