const won = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KRW', maximumFractionDigits: 0 });

export const money = (amount: number) => won.format(amount);
export const dateTime = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** "4:05" for a countdown; "0:00" once it passed. */
export function clock(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** Idempotency keys for the API: one per intent, so a retried click never pays twice. */
export const newKey = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
