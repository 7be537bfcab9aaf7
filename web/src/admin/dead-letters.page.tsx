import { useCallback, useEffect, useState } from 'react';
import { request } from '../api/client';
import { graphql } from '../generated';
import type { AdminDeadLettersQuery, SagaTopic } from '../generated/graphql';
import { dateTime } from '../ui/format';
import { Loading, Problem } from '../ui/widgets';
import { adminMessage, Notice, useAction } from './admin-shell';

const DeadLetters = graphql(`
  query AdminDeadLetters($source: SagaTopic!) {
    deadLetters(source: $source, limit: 100) { topic partition offset key eventType reason consumer sourceTopic failedAt value }
  }
`);

const Redrive = graphql(`
  mutation AdminRedriveDeadLetter($source: SagaTopic!, $partition: Int!, $offset: String!) {
    redriveDeadLetter(source: $source, partition: $partition, offset: $offset) { partition offset }
  }
`);

type Letter = AdminDeadLettersQuery['deadLetters'][number];

const SOURCES: Array<{ value: SagaTopic; label: string }> = [
  { value: 'BOOKING_EVENTS', label: 'booking.events (payment, concert and queue consume it)' },
  { value: 'PAYMENT_EVENTS', label: 'payment.events (booking consumes it)' },
];

/** Saga messages a consumer parked, and sending one back to its topic (consumers skip what they already handled). */
export function DeadLettersPage() {
  const [source, setSource] = useState<SagaTopic>('BOOKING_EVENTS');
  const [letters, setLetters] = useState<Letter[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    setProblem(null);
    setLetters(null);
    try {
      setLetters((await request(DeadLetters, { source })).deadLetters);
    } catch (error) {
      setProblem(adminMessage(error));
    }
  }, [source]);
  useEffect(() => void load(), [load]);

  return (
    <section aria-labelledby="dead-letters-title">
      <h1 id="dead-letters-title">Dead letters</h1>
      <div className="inline panel">
        <label>
          Topic
          <select name="source" value={source} onChange={(event) => setSource(event.target.value as SagaTopic)}>
            {SOURCES.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <Problem message={problem} />
      {!letters && !problem && <Loading what="the dead letters" />}
      {letters?.length === 0 && <p data-testid="no-dead-letters">Nothing parked on this topic.</p>}
      <ul className="cards">
        {letters?.map((letter) => (
          <DeadLetterCard key={`${letter.partition}:${letter.offset}`} source={source} letter={letter} />
        ))}
      </ul>
    </section>
  );
}

function DeadLetterCard({ source, letter }: { source: SagaTopic; letter: Letter }) {
  const { busy, problem, notice, run } = useAction();
  const [sent, setSent] = useState(false);
  const redrive = () =>
    void run(async () => {
      await request(Redrive, { source, partition: letter.partition, offset: letter.offset });
      setSent(true);
      return 'Sent back to its topic.';
    });
  const name = `${letter.eventType ?? 'message'} at ${letter.partition}:${letter.offset}`;
  return (
    <li className="card">
      <h2>{letter.eventType ?? 'Message without a type'}</h2>
      <p className="muted">
        Parked on {letter.topic} partition {letter.partition}, offset {letter.offset}
        {letter.sourceTopic ? ` · from ${letter.sourceTopic}` : ''}
        {letter.failedAt ? ` · failed ${dateTime(letter.failedAt)}` : ''}
        {letter.consumer ? ` · parked by ${letter.consumer}` : ''}
      </p>
      <p>{letter.reason ?? 'No reason recorded.'}</p>
      {letter.value && (
        <details>
          <summary>The message</summary>
          <pre className="raw">{letter.value}</pre>
        </details>
      )}
      <button type="button" onClick={redrive} disabled={busy || sent} aria-label={`${sent ? 'Redriven' : 'Redrive'}: ${name}`}>
        {sent ? 'Redriven' : 'Redrive'}
      </button>
      <Problem message={problem} />
      <Notice message={notice} />
    </li>
  );
}
