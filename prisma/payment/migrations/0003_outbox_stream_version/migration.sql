-- Hand-written (no schema change): one event per stream position. Wallet streams are numbered by
-- the version of the wallet and payment streams by fixed positions, and a writer that got it wrong fails
-- here instead of publishing a twin that would break a replay of the balance of the wallet.
CREATE UNIQUE INDEX "outbox_stream_version_key" ON "outbox"("aggregate_type", "aggregate_id", (("payload"->>'streamVersion')::int));
