import {
  chargeFingerprint,
  chargeReference,
  isRejection,
  isRetryOf,
  MAX_BALANCE,
  validateCharge,
  type BalanceLimitExceeded,
  type ChargeRejection,
  type ChargeRequest,
  type IdempotencyKeyReused,
  type Wallet,
} from '../domain/wallet';
import type { Causation, WalletStore } from './ports';
import { walletEnvelopes, type StampDeps } from './wallet-events';

export type ChargeWalletResult =
  | { kind: 'WalletCharged'; wallet: Wallet }
  /** A retry of a charge already made: the first call's wallet, nothing charged again. */
  | { kind: 'ChargeReplayed'; wallet: Wallet }
  | ChargeRejection
  | BalanceLimitExceeded
  | IdempotencyKeyReused;

/**
 * Puts money into the caller's own wallet, at most once per idempotency key. The key claim, the
 * balance change, the ledger entry, its WalletCharged and the stored answer commit together or
 * not at all; a replay writes nothing, so it publishes nothing either.
 */
export function chargeWallet(deps: { wallets: WalletStore } & StampDeps) {
  return async (userId: string, request: ChargeRequest, causation: Causation): Promise<ChargeWalletResult> => {
    const charge = validateCharge(request);
    if (isRejection(charge)) return charge;
    const { amount, idempotencyKey } = charge;
    const fingerprint = chargeFingerprint(amount);

    return deps.wallets.transaction<ChargeWalletResult>(async (tx) => {
      if (!(await tx.claimIdempotencyKey(userId, idempotencyKey, fingerprint))) {
        const stored = await tx.findIdempotencyKey(userId, idempotencyKey);
        if (!stored) throw new Error('idempotency key vanished between claim and read');
        return isRetryOf(stored, fingerprint)
          ? { commit: { kind: 'ChargeReplayed', wallet: stored.response } }
          : { commit: { kind: 'IdempotencyKeyReused' } };
      }
      const entry = await tx.credit({
        userId,
        amount,
        kind: 'CHARGE',
        reference: chargeReference(idempotencyKey),
        maxBalance: MAX_BALANCE,
      });
      // Roll back the claim too: the key stays free, and nothing about the refusal is stored.
      if (entry === null) return { rollback: { kind: 'BalanceLimitExceeded', maxBalance: MAX_BALANCE } };
      await tx.appendToOutbox(walletEnvelopes({ kind: 'CHARGE', userId, amount, idempotencyKey }, entry, causation, deps));
      const wallet = { balance: entry.balanceAfter };
      await tx.storeResponse(userId, idempotencyKey, wallet);
      return { commit: { kind: 'WalletCharged', wallet } };
    });
  };
}
