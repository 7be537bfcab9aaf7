import type { ClientBase } from 'pg';
import type { Credit } from '../../application/ports';
import type { RecordedEntry } from '../../domain/wallet';

/** ledger_entries.id is BIGINT, which pg answers as a string; ids stay far below 2^53. */
interface EntryRow {
  ledger_entry_id: string;
  balance_after: number;
  wallet_version: number;
}

export const toEntry = (row: EntryRow): RecordedEntry => ({
  ledgerEntryId: Number(row.ledger_entry_id),
  balanceAfter: row.balance_after,
  walletVersion: row.wallet_version,
});

/**
 * Adds to a wallet and appends the matching ledger entry in one statement, only within
 * maxBalance (null, nothing written, otherwise). Creates the wallet on its first credit (version
 * 1), else adds under the row lock ON CONFLICT DO UPDATE takes: concurrent credits of one wallet
 * queue there and each re-checks the limit against the balance the previous one committed. The
 * lock is held until the caller's transaction ends, so its outbox row follows the wallet's order.
 */
export async function creditWallet(tx: ClientBase, { userId, amount, kind, reference, maxBalance }: Credit): Promise<RecordedEntry | null> {
  const { rows } = await tx.query<EntryRow>(
    `WITH credited AS (
       INSERT INTO wallets AS w (user_id, balance, version, updated_at)
       VALUES ($1, $2::int, 1, now())
       ON CONFLICT (user_id) DO UPDATE
         SET balance = w.balance + EXCLUDED.balance, version = w.version + 1, updated_at = now()
         WHERE w.balance + EXCLUDED.balance <= $5::int
       RETURNING balance, version
     ), entry AS (
       INSERT INTO ledger_entries (user_id, kind, amount, balance_after, reference)
       SELECT $1, $3::"LedgerEntryKind", $2::int, balance, $4 FROM credited
       RETURNING id, balance_after
     )
     SELECT entry.id AS ledger_entry_id, entry.balance_after, credited.version AS wallet_version FROM entry, credited`,
    [userId, amount, kind, reference, maxBalance],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}
