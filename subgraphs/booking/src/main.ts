import path from 'node:path';
import { parseEnvelope } from '@ticketing/contracts';
import { createServiceMessaging } from '@ticketing/messaging';
import { accessTokenSettings, isProduction, queryLimitsFromConfig, createLogger, createMetrics, createPgPool, createRedis, runService, startSubgraph, type RunningService } from '@ticketing/platform';
import { cancelBooking } from './application/cancel-booking.command';
import { blockSeats } from './application/block-seats.command';
import { bookBlockedSeats } from './application/book-blocked-seats.command';
import { holdSeats } from './application/hold-seats.command';
import { releaseSeats } from './application/release-seats.command';
import { listMyBookings } from './application/list-my-bookings.query';
import { listScheduleBookings } from './application/list-schedule-bookings.query';
import { createOverdueSweeper } from './application/overdue-sweeper';
import { payBooking } from './application/pay-booking.command';
import { refundBooking } from './application/refund-booking.command';
import { settleBooking } from './application/settle-booking.reaction';
import { createContextFactory, createResolvers } from './adapters/graphql/resolvers';
import { createConcertRefundPolicy } from './adapters/http/concert-refund.policy';
import { createConcertSeatCatalog } from './adapters/http/concert-seat.catalog';
import { createAdmissionPassChecker } from './adapters/admission/admission-pass.checker';
import { createQueueAdmissionChecker } from './adapters/admission/queue-admission.checker';
import { createDeadLetterAdmin } from './adapters/kafka/dead-letter.admin';
import { createBookingMetrics } from './adapters/metrics/booking.metrics';
import { paymentOutcomesConsumer } from './adapters/messaging/payment-outcomes.consumer';
import { createPgBookingWriter, type WrittenStep } from './adapters/persistence/pg-booking.writer';
import { releaseLocksOfEndedBookings } from './application/release-ended-holds';
import { createPgOverdueDeadlines } from './adapters/persistence/pg-overdue-deadlines';
import { createPgBookingStore } from './adapters/persistence/pg-booking.store';
import { publishBookingChange } from './adapters/redis/booking-realtime.relay';
import { createRedisSeatLocks } from './adapters/redis/seat-locks';
import { loadBookingConfig, type BookingConfig } from './config';

/** Wires the booking subgraph from plain functions and starts it with its saga workers. */
export async function startBookingSubgraph(config: BookingConfig): Promise<RunningService> {
  const logger = createLogger('booking', config.LOG_LEVEL);
  // Reads and writes go through pg on one pool: the outbox row must share the state change's
  // transaction, the inbox consumer hands handlers a pg client inside its own, and every read is
  // hand-written SQL (ADR 0010). Prisma keeps the schema and its migrations.
  const metrics = createMetrics('booking');
  const pool = createPgPool(config.BOOKING_DATABASE_URL, { max: config.PG_POOL_MAX, logger, name: 'booking', registry: metrics.registry, maxPreparedStatements: config.PG_PREPARED_STATEMENTS });
  const redis = createRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const bookings = createPgBookingStore(pool);
  const bookingMetrics = createBookingMetrics(metrics);
  const locks = createRedisSeatLocks(redis, config.SEAT_LOCK_TTL_MS);
  // Once a step commits: its metrics, and the seat locks of a booking it ended given back (holdSeats keeps them).
  const releaseEnded = releaseLocksOfEndedBookings(locks, (error) => logger.warn({ err: error }, 'seat locks of an ended booking not given back; they lapse'));
  const stepsCommitted = async (steps: readonly WrittenStep[]) => {
    bookingMetrics.stepsCommitted(steps);
    await releaseEnded(steps);
  };
  const writer = createPgBookingWriter(pool, stepsCommitted);
  const messaging = createServiceMessaging({ service: 'booking', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, pool, logger, registry: metrics.registry });
  // Every committed command wrote outbox rows: publish them now rather than at the next poll.
  const nudged = <A extends unknown[], R>(command: (...args: A) => Promise<R>) => async (...args: A) => {
    const result = await command(...args);
    messaging.relay.nudge();
    return result;
  };

  // holdSeats answers after its transaction: count the answer, then publish its SeatsHeld.
  const counted = (command: ReturnType<typeof holdSeats>) =>
    nudged(async (...args: Parameters<typeof command>) => {
      const result = await command(...args);
      bookingMetrics.holdAnswered(result);
      return result;
    });

  messaging.consume(
    paymentOutcomesConsumer({ settleBooking: settleBooking(), logger, outboxWritten: () => messaging.relay.nudge(), stepsCommitted }),
  );
  const publish = publishBookingChange(redis, config.REDIS_KEY_PREFIX);
  messaging.listen({
    consumer: 'realtime',
    from: ['booking'],
    // A fetch's publishes go out in order in one write, not one round trip each.
    together: true,
    handle: async (message) => {
      const event = message.value === null ? null : parseEnvelope(message.value);
      if (event?.ok) await publish(event.value);
      else logger.warn({ offset: message.offset, partition: message.partition }, 'unreadable booking event not relayed to subscribers');
    },
  });
  const sweeper = createOverdueSweeper({
    writer,
    paymentTimeoutSeconds: config.PAYMENT_TIMEOUT_SECONDS,
    intervalMs: config.SWEEP_INTERVAL_MS,
    // Sleeps until the earliest hold or payment deadline instead of scanning every interval.
    nextDeadline: createPgOverdueDeadlines(pool, config.PAYMENT_TIMEOUT_SECONDS),
    holdTtlSeconds: config.HOLD_TTL_SECONDS,
    logger,
    onSwept: () => messaging.relay.nudge(),
  });

  // One catalog cache and one lock set for holds and blocks: a block waits on a hold's seat locks.
  const catalog = createConcertSeatCatalog({ concertUrl: config.CONCERT_URL });

  const service = await startSubgraph({
    name: 'booking',
    host: config.HOST,
    port: config.BOOKING_PORT,
    accessTokens: accessTokenSettings(config),
    queryLimits: queryLimitsFromConfig(config),
    production: isProduction(config),
    root: path.join(__dirname, '..'),
    resolvers: createResolvers({
      listMyBookings: listMyBookings({ bookings }),
      listScheduleBookings: listScheduleBookings({ bookings }),
      holdSeats: counted(
        holdSeats({
          writer,
          admission: createAdmissionPassChecker({
            secret: config.ADMISSION_PASS_SECRET,
            otherwise: createQueueAdmissionChecker({ queueUrl: config.QUEUE_URL }),
            onChecked: bookingMetrics.admissionChecked,
          }),
          catalog,
          locks,
          holdTtlSeconds: config.HOLD_TTL_SECONDS,
        }),
      ),
      payBooking: nudged(payBooking({ writer })),
      cancelBooking: nudged(cancelBooking({ writer })),
      refundBooking: nudged(refundBooking({ writer, bookings, policy: createConcertRefundPolicy({ concertUrl: config.CONCERT_URL }) })),
      blockSeats: nudged(blockSeats({ writer, catalog, locks })),
      releaseSeats: nudged(releaseSeats({ writer, locks })),
      bookBlockedSeats: nudged(bookBlockedSeats({ writer, locks })),
      deadLetters: createDeadLetterAdmin({ deadLetters: messaging.deadLetters, topic: messaging.topic }),
    }),
    logger,
    metrics,
    context: createContextFactory(bookings),
    readiness: [
      { name: 'postgres', check: () => pool.query('SELECT 1') },
      { name: 'redis', check: () => redis.ping() },
      { name: 'kafka', check: messaging.check },
    ],
    // Workers first (they finish the message or sweep in hand), then the connections they used.
    onStop: [() => sweeper.stop(), () => messaging.stop(), () => redis.quit(), () => pool.end()],
  });
  // In the background, once HTTP is up: /ready says `kafka` until the consumers have joined.
  // The sweeper needs no Kafka: its events wait in the outbox until the relay can publish.
  void messaging.start();
  sweeper.start();
  return service;
}

if (require.main === module) runService('booking', loadBookingConfig, startBookingSubgraph);
