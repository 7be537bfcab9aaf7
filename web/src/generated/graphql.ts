/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in time, as an ISO-8601 string in UTC (e.g. `2030-05-01T19:00:00.000Z`). */
  DateTime: { input: string; output: string; }
  /** Any JSON value: an event's payload, as its producer wrote it (after upcasting to the current version). */
  JSON: { input: unknown; output: unknown; }
};

export type AuthPayload = {
  /** JWT access token: send it as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  user: User;
};

/** One fan's claim on seats of one schedule. Visible to its owner and to admins only. */
export type Booking = {
  /** Whole currency units (KRW): the seats' prices at the time of the hold. */
  amount: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** A comp's guest (bookBlockedSeats: amount 0, no payment); null for a fan's booking. */
  guestName?: Maybe<Scalars['String']['output']>;
  /** When the hold lapses unless paid; null once the booking is confirmed, cancelled, expired or refunded. */
  heldUntil?: Maybe<Scalars['DateTime']['output']>;
  /** Every status change with its time and reason, oldest first. */
  history: Array<BookingTransition>;
  id: Scalars['ID']['output'];
  /**
   * What paying this booking came to; null until payment has handled the request (or if it was
   * never requested). Only the payer or an admin may read it (FORBIDDEN otherwise).
   */
  payment?: Maybe<Payment>;
  schedule: Schedule;
  seats: Array<Seat>;
  status: BookingStatus;
  /**
   * Everything that happened to the booking, oldest first, as archived (it trails the booking by
   * the archive's lag; empty until the first event is archived). Its owner or an admin only
   * (FORBIDDEN otherwise).
   */
  timeline: Array<TimelineEntry>;
  user: User;
};

export type BookingConnection = {
  nodes: Array<Booking>;
  pageInfo: PageInfo;
};

export type BookingStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'EXPIRED'
  | 'HELD'
  | 'PAYMENT_PENDING'
  /** Was CONFIRMED, then given back (refundBooking): its seats are on sale again and its payment is returned. */
  | 'REFUNDED';

export type BookingTransition = {
  at: Scalars['DateTime']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  status: BookingStatus;
};

export type Concert = {
  artist: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Performances of this concert, earliest first. */
  schedules: Array<Schedule>;
  title: Scalars['String']['output'];
  venue: Scalars['String']['output'];
};

export type ConcertConnection = {
  nodes: Array<Concert>;
  pageInfo: PageInfo;
};

/** A new concert. Each text is trimmed and must then be 1 to 200 characters. */
export type CreateConcertInput = {
  artist: Scalars['String']['input'];
  title: Scalars['String']['input'];
  venue: Scalars['String']['input'];
};

/** A new performance. `startsAt` must be in the future and `bookingOpensAt` not after it. */
export type CreateScheduleInput = {
  bookingOpensAt: Scalars['DateTime']['input'];
  /** 1 to 10; 4 when absent or null. */
  maxSeatsPerFan?: InputMaybe<Scalars['Int']['input']>;
  /** 0 to 8,760 (a year); 24 when absent or null. */
  refundCutoffHours?: InputMaybe<Scalars['Int']['input']>;
  startsAt: Scalars['DateTime']['input'];
};

/** A message parked on a dead-letter topic, with why and where it failed. */
export type DeadLetter = {
  /** The consumer that parked it. */
  consumer?: Maybe<Scalars['String']['output']>;
  /** The envelope's `type` header, when the message had one. */
  eventType?: Maybe<Scalars['String']['output']>;
  failedAt?: Maybe<Scalars['DateTime']['output']>;
  key?: Maybe<Scalars['String']['output']>;
  offset: Scalars['String']['output'];
  partition: Scalars['Int']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  sourceTopic: Scalars['String']['output'];
  topic: Scalars['String']['output'];
  /** The raw message value, as received. */
  value?: Maybe<Scalars['String']['output']>;
};

/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type Mutation = {
  /**
   * Adds the blocks' seats (publishes `SeatsAdded`, 500 seats an event). A seat that exists already
   * (same section, row and number) is CONFLICT with `extensions.seats`; more seats than the
   * schedule may hold (MAX_SEATS_PER_SCHEDULE) is BAD_USER_INPUT on `blocks`. Unknown schedule: NOT_FOUND.
   */
  addSeats: Schedule;
  /**
   * Admins: holds 1 to 500 seats of one schedule back from sale (VIP, production holds), all or
   * none. A blocked seat cannot be held by fans and shows BLOCKED on the seat map. A seat that is
   * held, being paid for, sold or already blocked: SEAT_UNAVAILABLE (`extensions.seatIds` names
   * them when known), nothing blocked. `reason`: 1 to 500 characters. Unknown schedule: NOT_FOUND.
   */
  blockSeats: Array<Seat>;
  /**
   * Admins: books blocked seats for a named guest (a comp): a booking CONFIRMED at once, amount 0,
   * no queue ticket and no payment, owned by the admin, with `guestName` (1 to 200 characters).
   * All seats or none, and only seats that are BLOCKED now: the seats leave their blocks and are
   * claimed through the same fence as any hold (INVALID_STATE with `extensions.seatIds` for seats
   * that are not blocked; SEAT_UNAVAILABLE when their locks stay busy). At most 500 seats.
   */
  bookBlockedSeats: Booking;
  /** Releases the owner's HELD booking (INVALID_STATE once payment was requested). */
  cancelBooking: Booking;
  /**
   * Adds `amount` (1 to 10,000,000 KRW) to the signed-in user's wallet. Retrying with the same
   * `idempotencyKey` (1 to 100 characters of A-Z a-z 0-9 _ - : .) and amount charges once and
   * answers the first call's wallet; the same key with another amount is a CONFLICT.
   */
  chargeWallet: Wallet;
  /**
   * Stops the schedule's sales now (publishes `SalesClosed` and sets `salesClosedAt`): no new
   * arrivals in its waiting room, no admissions, no holds, until openSales. `reason` is trimmed and
   * must then be 1 to 500 characters (BAD_USER_INPUT on `reason`). Closing closed sales changes and
   * publishes nothing. Unknown schedule: NOT_FOUND.
   */
  closeSales: Schedule;
  /** Publishes `ConcertCreated`. */
  createConcert: Concert;
  /** Publishes `ScheduleCreated`. Unknown concert: NOT_FOUND. */
  createSchedule: Schedule;
  /**
   * Joins the schedule's waiting room. Idempotent: every call by the same fan (tabs, retries)
   * returns the same ticket while it is live. Before `bookingOpensAt` the ticket waits in a
   * pre-queue whose order is drawn at random at opening; afterwards, first come, first served.
   * While an admin has closed the schedule's sales (Schedule.salesClosedAt), a fan without a live
   * ticket is refused INVALID_STATE with `extensions.reason` SALES_CLOSED; fans already waiting
   * keep their tickets and are admitted again once sales reopen. Unknown schedule: NOT_FOUND.
   */
  enterQueue: QueueTicket;
  /**
   * Holds 1 to 4 seats of one schedule for the signed-in fan until `heldUntil`, all or none.
   * `queueToken` is the fan's ACTIVE waiting-room ticket for this schedule: its `admissionPass`
   * (checked here) or its `token` (checked with the waiting room); QUEUE_TOKEN_INVALID otherwise,
   * also once the ticket's booking was sold. One ticket backs one live booking (CONFLICT).
   * A seat someone else holds or bought: SEAT_UNAVAILABLE. Unknown schedule: NOT_FOUND.
   */
  holdSeats: Booking;
  /** Admins only. The account's tokens stop working at once. `reason`: 1 to 500 characters, shown to admins. INVALID_STATE for one's own account (SELF_LOCK) or the last unlocked admin (LAST_ADMIN). */
  lockUser: User;
  /** ACCOUNT_LOCKED when the password is right but an admin locked the account. */
  logIn: AuthPayload;
  /**
   * Opens the schedule's sales now (publishes `SalesOpened`): clears `salesClosedAt`, and a
   * `bookingOpensAt` still in the future becomes now. Opening open sales whose opening has passed
   * changes and publishes nothing. Unknown schedule: NOT_FOUND.
   */
  openSales: Schedule;
  /** Stops admissions for the schedule (the line keeps its order). Audited. Admins only. */
  pauseQueue: QueuePolicy;
  /**
   * Pays a HELD booking from the owner's wallet: the booking becomes PAYMENT_PENDING at once and
   * CONFIRMED or CANCELLED when the payment settles (watch `bookingUpdated`). Retrying with the
   * same `idempotencyKey` (1 to 100 characters of A-Z a-z 0-9 _ - : .) answers the same booking and
   * never pays twice; the key on another booking is a CONFLICT. Not HELD or hold lapsed: INVALID_STATE.
   */
  payBooking: Booking;
  /** Sends a parked message back to the topic it came from; consumers skip what they already handled. Admins only. */
  redriveDeadLetter: DeadLetter;
  /**
   * Gives a CONFIRMED booking back: it becomes REFUNDED at once, its seats go back on sale, and
   * the payment subgraph returns its amount to the owner's wallet (the booking's `timeline` shows
   * when). An admin may refund any confirmed booking; its owner only before the schedule's refund
   * cutoff (`Schedule.refundCutoffHours` before `startsAt`; REFUND_NOT_ALLOWED with
   * `extensions.cutoff` after it). Not CONFIRMED: INVALID_STATE. Anyone else's booking: NOT_FOUND.
   * `reason`: 1 to 500 characters, kept in the history.
   */
  refundBooking: Booking;
  /**
   * Admins: puts blocked seats back on sale, all or none. A seat that is not blocked:
   * INVALID_STATE (`extensions.seatIds`), nothing released.
   */
  releaseSeats: Array<Seat>;
  /** Restarts admissions. Audited. Admins only. */
  resumeQueue: QueuePolicy;
  /**
   * Changes the given settings of a schedule's admission policy (others keep their value) and
   * records the change in the admission audit. `admitsPerSecond`: 1 to 10,000; `maxActive`: 1 to
   * 1,000,000. Admins only.
   */
  setQueuePolicy: QueuePolicy;
  /**
   * Gives every seat of the section one price (publishes `SectionPriceChanged` with the section's
   * previous price, null when its seats had several; nothing when all had this price already).
   * `price` is whole KRW, 0 to 10,000,000 (BAD_USER_INPUT on `price`). PRICE_FROZEN once the
   * schedule's waiting room has begun admitting fans: no fan pays a price set after they were let in.
   * Unknown schedule, or a section without seats: NOT_FOUND.
   */
  setSectionPrice: Schedule;
  /** Admins only. INVALID_STATE (reason LAST_ADMIN) when it would leave no unlocked admin. */
  setUserRole: User;
  signUp: AuthPayload;
  /** Admins only. The account's unexpired tokens work again. */
  unlockUser: User;
  /** Publishes `ConcertChanged` with the fields that changed, or nothing when none did. Unknown id: NOT_FOUND. */
  updateConcert: Concert;
  /** Publishes `ScheduleChanged` with the fields that changed, or nothing when none did. Unknown id: NOT_FOUND. */
  updateSchedule: Schedule;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationAddSeatsArgs = {
  blocks: Array<SeatBlockInput>;
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationBlockSeatsArgs = {
  reason: Scalars['String']['input'];
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']>;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationBookBlockedSeatsArgs = {
  guestName: Scalars['String']['input'];
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']>;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationCancelBookingArgs = {
  bookingId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationChargeWalletArgs = {
  amount: Scalars['Int']['input'];
  idempotencyKey: Scalars['String']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationCloseSalesArgs = {
  reason: Scalars['String']['input'];
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationCreateConcertArgs = {
  input: CreateConcertInput;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationCreateScheduleArgs = {
  concertId: Scalars['ID']['input'];
  input: CreateScheduleInput;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationEnterQueueArgs = {
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationHoldSeatsArgs = {
  queueToken: Scalars['String']['input'];
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']>;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationLockUserArgs = {
  reason: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationLogInArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationOpenSalesArgs = {
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationPauseQueueArgs = {
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationPayBookingArgs = {
  bookingId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationRedriveDeadLetterArgs = {
  offset: Scalars['String']['input'];
  partition: Scalars['Int']['input'];
  source: SagaTopic;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationRefundBookingArgs = {
  bookingId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationReleaseSeatsArgs = {
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']>;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationResumeQueueArgs = {
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationSetQueuePolicyArgs = {
  admitsPerSecond?: InputMaybe<Scalars['Int']['input']>;
  maxActive?: InputMaybe<Scalars['Int']['input']>;
  paused?: InputMaybe<Scalars['Boolean']['input']>;
  scheduleId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationSetSectionPriceArgs = {
  price: Scalars['Int']['input'];
  scheduleId: Scalars['ID']['input'];
  section: Scalars['String']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationSetUserRoleArgs = {
  role: Role;
  userId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationSignUpArgs = {
  input: SignUpInput;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationUnlockUserArgs = {
  userId: Scalars['ID']['input'];
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationUpdateConcertArgs = {
  id: Scalars['ID']['input'];
  input: UpdateConcertInput;
};


/**
 * The back office's catalog commands: admins only (FORBIDDEN otherwise, UNAUTHENTICATED when signed out).
 * Each change is validated first (BAD_USER_INPUT with `extensions.field`, e.g. `input.title` or
 * `blocks[0].price`), written in one transaction with its catalog event, and published to the
 * event store; a refused change writes nothing.
 */
export type MutationUpdateScheduleArgs = {
  id: Scalars['ID']['input'];
  input: UpdateScheduleInput;
};

/** Shared with every connection in the graph (e.g. BookingConnection). */
export type PageInfo = {
  /** Pass as `after` to fetch the next page; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** The payment of one booking (at most one per booking). Visible to the payer and to admins only. */
export type Payment = {
  /** Whole currency units (KRW): what the booking cost. */
  amount: Scalars['Int']['output'];
  bookingId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  status: PaymentStatus;
};

export type PaymentStatus =
  /** The wallet was debited. */
  | 'COMPLETED'
  /** Nothing was debited (e.g. the balance was too low). */
  | 'FAILED'
  /** Was completed; the amount went back to the wallet. */
  | 'REFUNDED';

export type Query = {
  /** A booking of the signed-in user (any booking for an admin); NOT_FOUND for anyone else's. */
  booking?: Maybe<Booking>;
  concert?: Maybe<Concert>;
  /** Concerts, newest first. `first` is 1 to 100 (default 20); `after` is a previous page's `endCursor`. */
  concerts: ConcertConnection;
  /** Saga messages a consumer could not handle and parked, oldest first. `limit`: 1 to 500 (default 100). Admins only. */
  deadLetters: Array<DeadLetter>;
  /** The signed-in user, or null when no token was sent. */
  me?: Maybe<User>;
  /** The signed-in user's bookings, newest first. `first`: 1 to 100 (default 20); `after`: a previous page's endCursor. */
  myBookings: BookingConnection;
  /** The schedule's admission policy, or the deployment defaults if none was set. Admins only. */
  queuePolicy: QueuePolicy;
  /** Admins only. */
  queueStats: QueueStats;
  /** The caller's ticket, live. A token that is not the caller's is QUEUE_TOKEN_INVALID. */
  queueTicket?: Maybe<QueueTicket>;
  /**
   * A schedule's sales so far, from the event store. NOT_FOUND until an event of the schedule
   * (its creation, usually) has been archived. Admins only.
   */
  salesDashboard: SalesDashboard;
  schedule?: Maybe<Schedule>;
  /**
   * Admins: one schedule's bookings, newest first, narrowed by every filter given: `status`,
   * `userId` (one fan's), `createdFrom` (made at or after) and `createdBefore` (made before;
   * BAD_USER_INPUT unless after `createdFrom`). `first`: 1 to 100 (default 20); `after`: a previous
   * page's endCursor. The gateway serves the same list as CSV at `GET /exports/schedule-bookings.csv`.
   */
  scheduleBookings: BookingConnection;
  /**
   * One aggregate's events in stream order, straight from the event store. `streamType`: an
   * aggregate type (booking, payment, ...); `first`: 1 to 100 (default 20); `after`: a previous
   * page's endCursor. Admins only.
   */
  streamEvents: StoredEventConnection;
  /**
   * Accounts, oldest sign-up first. Admins only. `search`: one whole e-mail address (any case),
   * matched through the blind index, so part of an address finds nothing. `first`: 1 to 100
   * (default 20); `after`: a previous page's endCursor.
   */
  users: UserConnection;
};


export type QueryBookingArgs = {
  id: Scalars['ID']['input'];
};


export type QueryConcertArgs = {
  id: Scalars['ID']['input'];
};


export type QueryConcertsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryDeadLettersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  source: SagaTopic;
};


export type QueryMyBookingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryQueuePolicyArgs = {
  scheduleId: Scalars['ID']['input'];
};


export type QueryQueueStatsArgs = {
  scheduleId: Scalars['ID']['input'];
};


export type QueryQueueTicketArgs = {
  token: Scalars['String']['input'];
};


export type QuerySalesDashboardArgs = {
  scheduleId: Scalars['ID']['input'];
};


export type QueryScheduleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryScheduleBookingsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  createdFrom?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  scheduleId: Scalars['ID']['input'];
  status?: InputMaybe<BookingStatus>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryStreamEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  streamId: Scalars['ID']['input'];
  streamType: Scalars['String']['input'];
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

/** How a schedule's waiting room admits fans. Admins only. */
export type QueuePolicy = {
  /** Fans let through from the waiting room per second. */
  admitsPerSecond: Scalars['Int']['output'];
  /** Most fans allowed to shop (ACTIVE) at the same time. */
  maxActive: Scalars['Int']['output'];
  /** While true, nobody is admitted; the line keeps its order. */
  paused: Scalars['Boolean']['output'];
  scheduleId: Scalars['ID']['output'];
  /** Last change by an admin; null while the schedule runs on the deployment defaults. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** A waiting room at a glance. Admins only. */
export type QueueStats = {
  /** Admitted and not expired. */
  active: Scalars['Int']['output'];
  /** The admission rate now: observed while admitting, else the policy's. */
  admitsPerSecond: Scalars['Float']['output'];
  /** Admitted so far. */
  admitted: Scalars['Int']['output'];
  maxActive: Scalars['Int']['output'];
  paused: Scalars['Boolean']['output'];
  /** Waiting for the opening draw. */
  preQueue: Scalars['Int']['output'];
  scheduleId: Scalars['ID']['output'];
  /** In line with a number. */
  waiting: Scalars['Int']['output'];
};

export type QueueStatus =
  /** Admitted: the token lets its holder hold seats until `expiresAt`. */
  | 'ACTIVE'
  /** The admission ran out; entering again joins the back of the line. */
  | 'EXPIRED'
  /** In the pre-queue (before opening, no number yet) or in line. */
  | 'WAITING';

/** A fan's place in one schedule's waiting room. */
export type QueueTicket = {
  /**
   * While ACTIVE: a signed pass to send as `holdSeats`'s `queueToken`, which booking checks by
   * itself instead of asking the waiting room (the token works there too, at the price of that
   * check). Only for the fan it was issued to, this schedule and until `expiresAt`; null while
   * WAITING or EXPIRED. The update announcing an admission may come without it; the next one has it.
   */
  admissionPass?: Maybe<Scalars['String']['output']>;
  /** Seconds until admission at the current rate; null when not in line, while paused or while sales are closed. */
  estimatedWaitSeconds?: Maybe<Scalars['Int']['output']>;
  /** When an ACTIVE ticket stops working (or an EXPIRED one did). */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Highest queue number admitted so far. */
  nowServing: Scalars['Int']['output'];
  /** The schedule's bookingOpensAt: arrivals before it are drawn in random order at that instant. */
  opensAt?: Maybe<Scalars['DateTime']['output']>;
  /** 1-based place in line while WAITING with a number; null in the pre-queue and once admitted. */
  position?: Maybe<Scalars['Int']['output']>;
  /** The ticket's number in line: drawn at random at opening for pre-queue arrivals, in arrival order after. */
  queueNumber?: Maybe<Scalars['Int']['output']>;
  scheduleId: Scalars['ID']['output'];
  status: QueueStatus;
  /** Opaque; only works for the fan it was issued to and only for this schedule. */
  token: Scalars['String']['output'];
};

export type Role =
  | 'ADMIN'
  | 'USER';

/** The saga's Kafka topics whose dead letters an admin can see. */
export type SagaTopic =
  /** booking.events: what payment, concert and queue consume. */
  | 'BOOKING_EVENTS'
  /** payment.events: what booking consumes. */
  | 'PAYMENT_EVENTS';

/**
 * How one schedule's on-sale is going, projected from the event store (it trails the live system
 * by the archive's lag). Held seats include those of bookings whose payment is pending.
 */
export type SalesDashboard = {
  /** The event-store position the numbers include, a decimal string. */
  asOfPosition: Scalars['String']['output'];
  bookingsCancelled: Scalars['Int']['output'];
  bookingsConfirmed: Scalars['Int']['output'];
  bookingsExpired: Scalars['Int']['output'];
  bySection: Array<SectionSales>;
  /** Confirmed bookings per fan admitted (0 before anyone was admitted). */
  conversion: Scalars['Float']['output'];
  /** Fans the waiting room let in. */
  fansAdmitted: Scalars['Int']['output'];
  /** KRW the payment subgraph has returned to fans: refunded bookings, and payments that arrived after their booking had ended. */
  refunded: Scalars['Int']['output'];
  /** KRW from bookings confirmed and not refunded since (a refunded booking's seats are back on sale and its amount leaves revenue at once). */
  revenue: Scalars['Int']['output'];
  scheduleId: Scalars['ID']['output'];
  /** Seats nobody holds, bought or blocked. */
  seatsAvailable: Scalars['Int']['output'];
  seatsBlocked: Scalars['Int']['output'];
  seatsHeld: Scalars['Int']['output'];
  seatsSold: Scalars['Int']['output'];
  seatsTotal: Scalars['Int']['output'];
  /** When the last event counted happened. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** Owned by the concert subgraph. */
export type Schedule = {
  availableSeatCount: Scalars['Int']['output'];
  /** Queueing and holding seats are refused before this instant (openSales brings it forward to now). */
  bookingOpensAt: Scalars['DateTime']['output'];
  concert: Concert;
  id: Scalars['ID']['output'];
  /** Most seats one fan may hold or own on this schedule, across all their bookings (holdSeats answers SEAT_LIMIT_REACHED beyond it). */
  maxSeatsPerFan: Scalars['Int']['output'];
  /** When the waiting room began admitting fans and prices stopped changing (setSectionPrice answers PRICE_FROZEN); null before. */
  pricesFrozenAt?: Maybe<Scalars['DateTime']['output']>;
  /** Hours before `startsAt` from which a fan may no longer refund their own confirmed booking (refundBooking answers REFUND_NOT_ALLOWED; an admin still may). 0: until the show starts. */
  refundCutoffHours: Scalars['Int']['output'];
  /**
   * When an admin closed this schedule's sales (closeSales); null while they are open. While closed,
   * enterQueue and holdSeats answer INVALID_STATE with `extensions.reason` SALES_CLOSED, the waiting
   * room admits nobody (fans already waiting keep their places) and held bookings may still be paid.
   */
  salesClosedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Seats ordered by section, row and number. May lag the booking subgraph by a few seconds. */
  seats: Array<Seat>;
  startsAt: Scalars['DateTime']['output'];
};


/** Owned by the concert subgraph. */
export type ScheduleSeatsArgs = {
  status?: InputMaybe<SeatStatus>;
};

/** Owned by the concert subgraph. */
export type Seat = {
  id: Scalars['ID']['output'];
  number: Scalars['Int']['output'];
  /** Whole currency units (KRW). */
  price: Scalars['Int']['output'];
  row: Scalars['String']['output'];
  schedule: Schedule;
  section: Scalars['String']['output'];
  status: SeatStatus;
};

/** Rows of one section at one price: each row gets seats numbered 1 to `seatsPerRow` (at most 500); `price` is whole KRW, 0 to 10,000,000. */
export type SeatBlockInput = {
  price: Scalars['Int']['input'];
  rows: Array<Scalars['String']['input']>;
  seatsPerRow: Scalars['Int']['input'];
  section: Scalars['String']['input'];
};

/** A seat's status as the catalog sees it; the booking subgraph is the authority on who holds it. */
export type SeatStatus =
  | 'AVAILABLE'
  /** Held back from sale by an admin (VIP, production holds): not holdable, not available. */
  | 'BLOCKED'
  | 'HELD'
  | 'SOLD';

/** One section of a schedule: its seats by state, and what its confirmed (not refunded) bookings brought in. */
export type SectionSales = {
  /** KRW from bookings confirmed and not refunded since: each booking's amount split over its sections by seat price. */
  revenue: Scalars['Int']['output'];
  seatsBlocked: Scalars['Int']['output'];
  seatsHeld: Scalars['Int']['output'];
  seatsSold: Scalars['Int']['output'];
  seatsTotal: Scalars['Int']['output'];
  section: Scalars['String']['output'];
};

export type SignUpInput = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  /** 8 to 128 characters. */
  password: Scalars['String']['input'];
};

/** One event as the event store recorded it. */
export type StoredEvent = {
  causationId?: Maybe<Scalars['String']['output']>;
  correlationId: Scalars['String']['output'];
  eventId: Scalars['ID']['output'];
  /** When it happened, by the producer's clock. */
  occurredAt: Scalars['DateTime']['output'];
  payload: Scalars['JSON']['output'];
  /** Global position in the store, a decimal string: unique and increasing, with gaps. */
  position: Scalars['String']['output'];
  /** When the store archived it. */
  recordedAt: Scalars['DateTime']['output'];
  schemaVersion: Scalars['Int']['output'];
  streamId: Scalars['ID']['output'];
  /** The aggregate type (booking, payment, ...) and id whose history this event belongs to. */
  streamType: Scalars['String']['output'];
  /** The aggregate's version after this event, from 0. */
  streamVersion: Scalars['Int']['output'];
  type: Scalars['String']['output'];
};

export type StoredEventConnection = {
  nodes: Array<StoredEvent>;
  pageInfo: PageInfo;
};

export type Subscription = {
  /**
   * The booking now, then after every status change until the saga ends (CONFIRMED, CANCELLED,
   * EXPIRED or REFUNDED: the stream completes). Its owner (or an admin) only: NOT_FOUND otherwise
   * (served by the gateway).
   */
  bookingUpdated: Booking;
  /** The ticket now, then on every change of position, ETA or status (served by the gateway). */
  queueTicketUpdated: QueueTicket;
  /**
   * The schedule's sales dashboard now, then again each time the projection applied new events of
   * it (several events may come as one update). Admins only.
   */
  salesUpdated: SalesDashboard;
  /** Seats of the schedule whose status changed, each time the catalog applies a change (served by the gateway). */
  seatsUpdated: Array<Seat>;
};


export type SubscriptionBookingUpdatedArgs = {
  bookingId: Scalars['ID']['input'];
};


export type SubscriptionQueueTicketUpdatedArgs = {
  token: Scalars['String']['input'];
};


export type SubscriptionSalesUpdatedArgs = {
  scheduleId: Scalars['ID']['input'];
};


export type SubscriptionSeatsUpdatedArgs = {
  scheduleId: Scalars['ID']['input'];
};

/** One thing that happened to a booking, from the booking, payment and refund events. */
export type TimelineEntry = {
  at: Scalars['DateTime']['output'];
  eventId: Scalars['ID']['output'];
  /** The service that published it. */
  service: Scalars['String']['output'];
  /** A sentence for people, e.g. "2 seats held for 330,000". */
  summary: Scalars['String']['output'];
  /** The event's type, e.g. SeatsHeld, PaymentCompleted. */
  type: Scalars['String']['output'];
};

/** Only the fields given (and not null) change; each is trimmed and must then be 1 to 200 characters. */
export type UpdateConcertInput = {
  artist?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
  venue?: InputMaybe<Scalars['String']['input']>;
};

/** Only the fields given (and not null) change; the result must still open no later than it starts, and a moved start must be in the future. */
export type UpdateScheduleInput = {
  bookingOpensAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** 1 to 10. */
  maxSeatsPerFan?: InputMaybe<Scalars['Int']['input']>;
  /** 0 to 8,760. */
  refundCutoffHours?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Owned by the user subgraph. */
export type User = {
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** A locked account cannot log in and its tokens are refused everywhere. Visible to the person and to admins. */
  locked: Scalars['Boolean']['output'];
  /** Why an admin locked the account, while it is locked. Admins only. */
  lockedReason?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  role: Role;
  /** Only the user themself or an admin may read it (FORBIDDEN otherwise). Balance 0 until the first charge. */
  wallet: Wallet;
};

export type UserConnection = {
  nodes: Array<User>;
  pageInfo: PageInfo;
};

/** Money a user holds for paying bookings. */
export type Wallet = {
  /** Whole currency units (KRW). Never negative, never above 1,000,000,000. */
  balance: Scalars['Int']['output'];
};

export type AdminScheduleBookingsQueryVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  status?: InputMaybe<BookingStatus>;
  userId?: InputMaybe<Scalars['ID']['input']>;
  createdFrom?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AdminScheduleBookingsQuery = { scheduleBookings: { nodes: Array<{ id: string, status: BookingStatus, amount: number, createdAt: string, guestName?: string | null, user: { id: string, email: string, name: string }, seats: Array<{ id: string, section: string, row: string, number: number }> }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type AdminRefundBookingMutationVariables = Exact<{
  bookingId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
}>;


export type AdminRefundBookingMutation = { refundBooking: { id: string, status: BookingStatus } };

export type AdminConcertsQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AdminConcertsQuery = { concerts: { nodes: Array<{ id: string, title: string, artist: string, venue: string, schedules: Array<{ id: string, startsAt: string, salesClosedAt?: string | null }> }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type AdminCreateConcertMutationVariables = Exact<{
  input: CreateConcertInput;
}>;


export type AdminCreateConcertMutation = { createConcert: { id: string } };

export type AdminConcertQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AdminConcertQuery = { concert?: { id: string, title: string, artist: string, venue: string, schedules: Array<{ id: string, startsAt: string, bookingOpensAt: string, maxSeatsPerFan: number, refundCutoffHours: number, salesClosedAt?: string | null, availableSeatCount: number }> } | null };

export type AdminUpdateConcertMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: UpdateConcertInput;
}>;


export type AdminUpdateConcertMutation = { updateConcert: { id: string, title: string, artist: string, venue: string } };

export type AdminCreateScheduleMutationVariables = Exact<{
  concertId: Scalars['ID']['input'];
  input: CreateScheduleInput;
}>;


export type AdminCreateScheduleMutation = { createSchedule: { id: string } };

export type SalesDashboardFieldsFragment = { scheduleId: string, seatsTotal: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsBlocked: number, revenue: number, refunded: number, bookingsConfirmed: number, bookingsCancelled: number, bookingsExpired: number, fansAdmitted: number, conversion: number, asOfPosition: string, updatedAt?: string | null, bySection: Array<{ section: string, seatsTotal: number, seatsSold: number, seatsHeld: number, seatsBlocked: number, revenue: number }> };

export type AdminSalesDashboardQueryVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminSalesDashboardQuery = { salesDashboard: { scheduleId: string, seatsTotal: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsBlocked: number, revenue: number, refunded: number, bookingsConfirmed: number, bookingsCancelled: number, bookingsExpired: number, fansAdmitted: number, conversion: number, asOfPosition: string, updatedAt?: string | null, bySection: Array<{ section: string, seatsTotal: number, seatsSold: number, seatsHeld: number, seatsBlocked: number, revenue: number }> } };

export type AdminSalesUpdatedSubscriptionVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminSalesUpdatedSubscription = { salesUpdated: { scheduleId: string, seatsTotal: number, seatsAvailable: number, seatsHeld: number, seatsSold: number, seatsBlocked: number, revenue: number, refunded: number, bookingsConfirmed: number, bookingsCancelled: number, bookingsExpired: number, fansAdmitted: number, conversion: number, asOfPosition: string, updatedAt?: string | null, bySection: Array<{ section: string, seatsTotal: number, seatsSold: number, seatsHeld: number, seatsBlocked: number, revenue: number }> } };

export type QueuePolicyFieldsFragment = { admitsPerSecond: number, maxActive: number, paused: boolean, updatedAt?: string | null };

export type AdminQueueStateQueryVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminQueueStateQuery = { queueStats: { waiting: number, preQueue: number, active: number, admitted: number, admitsPerSecond: number, maxActive: number, paused: boolean }, queuePolicy: { admitsPerSecond: number, maxActive: number, paused: boolean, updatedAt?: string | null } };

export type AdminSetQueuePolicyMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  admitsPerSecond?: InputMaybe<Scalars['Int']['input']>;
  maxActive?: InputMaybe<Scalars['Int']['input']>;
}>;


export type AdminSetQueuePolicyMutation = { setQueuePolicy: { admitsPerSecond: number, maxActive: number, paused: boolean, updatedAt?: string | null } };

export type AdminPauseQueueMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminPauseQueueMutation = { pauseQueue: { admitsPerSecond: number, maxActive: number, paused: boolean, updatedAt?: string | null } };

export type AdminResumeQueueMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminResumeQueueMutation = { resumeQueue: { admitsPerSecond: number, maxActive: number, paused: boolean, updatedAt?: string | null } };

export type AdminOpenSalesMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminOpenSalesMutation = { openSales: { id: string, salesClosedAt?: string | null, bookingOpensAt: string } };

export type AdminCloseSalesMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
}>;


export type AdminCloseSalesMutation = { closeSales: { id: string, salesClosedAt?: string | null, bookingOpensAt: string } };

export type AdminDeadLettersQueryVariables = Exact<{
  source: SagaTopic;
}>;


export type AdminDeadLettersQuery = { deadLetters: Array<{ topic: string, partition: number, offset: string, key?: string | null, eventType?: string | null, reason?: string | null, consumer?: string | null, sourceTopic: string, failedAt?: string | null, value?: string | null }> };

export type AdminRedriveDeadLetterMutationVariables = Exact<{
  source: SagaTopic;
  partition: Scalars['Int']['input'];
  offset: Scalars['String']['input'];
}>;


export type AdminRedriveDeadLetterMutation = { redriveDeadLetter: { partition: number, offset: string } };

export type AdminScheduleQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AdminScheduleQuery = { schedule?: { id: string, startsAt: string, bookingOpensAt: string, maxSeatsPerFan: number, refundCutoffHours: number, salesClosedAt?: string | null, pricesFrozenAt?: string | null, concert: { id: string, title: string, venue: string } } | null };

export type AdminSeatsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AdminSeatsQuery = { schedule?: { id: string, seats: Array<{ id: string, section: string, row: string, number: number, price: number, status: SeatStatus }> } | null };

export type AdminSeatsUpdatedSubscriptionVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type AdminSeatsUpdatedSubscription = { seatsUpdated: Array<{ id: string, status: SeatStatus, price: number }> };

export type AdminUpdateScheduleMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: UpdateScheduleInput;
}>;


export type AdminUpdateScheduleMutation = { updateSchedule: { id: string } };

export type AdminAddSeatsMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  blocks: Array<SeatBlockInput> | SeatBlockInput;
}>;


export type AdminAddSeatsMutation = { addSeats: { id: string, seats: Array<{ id: string, section: string, row: string, number: number, price: number, status: SeatStatus }> } };

export type AdminSetSectionPriceMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  section: Scalars['String']['input'];
  price: Scalars['Int']['input'];
}>;


export type AdminSetSectionPriceMutation = { setSectionPrice: { id: string, seats: Array<{ id: string, section: string, row: string, number: number, price: number, status: SeatStatus }> } };

export type AdminBlockSeatsMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  reason: Scalars['String']['input'];
}>;


export type AdminBlockSeatsMutation = { blockSeats: Array<{ id: string }> };

export type AdminReleaseSeatsMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type AdminReleaseSeatsMutation = { releaseSeats: Array<{ id: string }> };

export type AdminBookBlockedSeatsMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  guestName: Scalars['String']['input'];
}>;


export type AdminBookBlockedSeatsMutation = { bookBlockedSeats: { id: string, status: BookingStatus, guestName?: string | null, seats: Array<{ id: string }> } };

export type AdminUserFieldsFragment = { id: string, email: string, name: string, role: Role, locked: boolean, lockedReason?: string | null };

export type AdminUsersQueryVariables = Exact<{
  search?: InputMaybe<Scalars['String']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AdminUsersQuery = { users: { nodes: Array<{ id: string, email: string, name: string, role: Role, locked: boolean, lockedReason?: string | null }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type AdminSetUserRoleMutationVariables = Exact<{
  userId: Scalars['ID']['input'];
  role: Role;
}>;


export type AdminSetUserRoleMutation = { setUserRole: { id: string, email: string, name: string, role: Role, locked: boolean, lockedReason?: string | null } };

export type AdminLockUserMutationVariables = Exact<{
  userId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
}>;


export type AdminLockUserMutation = { lockUser: { id: string, email: string, name: string, role: Role, locked: boolean, lockedReason?: string | null } };

export type AdminUnlockUserMutationVariables = Exact<{
  userId: Scalars['ID']['input'];
}>;


export type AdminUnlockUserMutation = { unlockUser: { id: string, email: string, name: string, role: Role, locked: boolean, lockedReason?: string | null } };

export type BookingQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type BookingQuery = { booking?: { id: string, status: BookingStatus, amount: number, heldUntil?: string | null, createdAt: string, seats: Array<{ id: string, section: string, row: string, number: number, price: number }>, schedule: { id: string, startsAt: string, refundCutoffHours: number, concert: { title: string } }, history: Array<{ status: BookingStatus, at: string, reason?: string | null }>, timeline: Array<{ eventId: string, at: string, summary: string, service: string }> } | null, me?: { id: string, wallet: { balance: number } } | null };

export type BookingUpdatedSubscriptionVariables = Exact<{
  bookingId: Scalars['ID']['input'];
}>;


export type BookingUpdatedSubscription = { bookingUpdated: { id: string, status: BookingStatus, heldUntil?: string | null, history: Array<{ status: BookingStatus, at: string, reason?: string | null }> } };

export type ChargeWalletMutationVariables = Exact<{
  amount: Scalars['Int']['input'];
  idempotencyKey: Scalars['String']['input'];
}>;


export type ChargeWalletMutation = { chargeWallet: { balance: number } };

export type PayBookingMutationVariables = Exact<{
  bookingId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
}>;


export type PayBookingMutation = { payBooking: { id: string, status: BookingStatus } };

export type CancelBookingMutationVariables = Exact<{
  bookingId: Scalars['ID']['input'];
}>;


export type CancelBookingMutation = { cancelBooking: { id: string, status: BookingStatus } };

export type RefundBookingMutationVariables = Exact<{
  bookingId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
}>;


export type RefundBookingMutation = { refundBooking: { id: string, status: BookingStatus } };

export type ConcertsQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConcertsQuery = { concerts: { nodes: Array<{ id: string, title: string, artist: string, venue: string, schedules: Array<{ id: string, startsAt: string, bookingOpensAt: string, salesClosedAt?: string | null, availableSeatCount: number }> }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type MyBookingsQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type MyBookingsQuery = { myBookings: { nodes: Array<{ id: string, status: BookingStatus, amount: number, createdAt: string, seats: Array<{ id: string }>, schedule: { startsAt: string, concert: { title: string } } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type ScheduleQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ScheduleQuery = { schedule?: { id: string, startsAt: string, bookingOpensAt: string, salesClosedAt?: string | null, maxSeatsPerFan: number, concert: { id: string, title: string, artist: string, venue: string }, seats: Array<{ id: string, section: string, row: string, number: number, price: number, status: SeatStatus }> } | null };

export type QueueTicketFieldsFragment = { token: string, status: QueueStatus, position?: number | null, estimatedWaitSeconds?: number | null, expiresAt?: string | null, opensAt?: string | null, admissionPass?: string | null };

export type EnterQueueMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type EnterQueueMutation = { enterQueue: { token: string, status: QueueStatus, position?: number | null, estimatedWaitSeconds?: number | null, expiresAt?: string | null, opensAt?: string | null, admissionPass?: string | null } };

export type QueueTicketQueryVariables = Exact<{
  token: Scalars['String']['input'];
}>;


export type QueueTicketQuery = { queueTicket?: { token: string, status: QueueStatus, position?: number | null, estimatedWaitSeconds?: number | null, expiresAt?: string | null, opensAt?: string | null, admissionPass?: string | null } | null };

export type QueueTicketUpdatedSubscriptionVariables = Exact<{
  token: Scalars['String']['input'];
}>;


export type QueueTicketUpdatedSubscription = { queueTicketUpdated: { token: string, status: QueueStatus, position?: number | null, estimatedWaitSeconds?: number | null, expiresAt?: string | null, opensAt?: string | null, admissionPass?: string | null } };

export type SeatsUpdatedSubscriptionVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
}>;


export type SeatsUpdatedSubscription = { seatsUpdated: Array<{ id: string, status: SeatStatus }> };

export type HoldSeatsMutationVariables = Exact<{
  scheduleId: Scalars['ID']['input'];
  seatIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  queueToken: Scalars['String']['input'];
}>;


export type HoldSeatsMutation = { holdSeats: { id: string, status: BookingStatus, heldUntil?: string | null } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { token: string, user: { id: string, name: string, email: string, role: Role } } };

export type LogInMutationVariables = Exact<{
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type LogInMutation = { logIn: { token: string, user: { id: string, name: string, email: string, role: Role } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SalesDashboardFieldsFragmentDoc = new TypedDocumentString(`
    fragment SalesDashboardFields on SalesDashboard {
  scheduleId
  seatsTotal
  seatsAvailable
  seatsHeld
  seatsSold
  seatsBlocked
  revenue
  refunded
  bookingsConfirmed
  bookingsCancelled
  bookingsExpired
  fansAdmitted
  conversion
  asOfPosition
  updatedAt
  bySection {
    section
    seatsTotal
    seatsSold
    seatsHeld
    seatsBlocked
    revenue
  }
}
    `, {"fragmentName":"SalesDashboardFields"}) as unknown as TypedDocumentString<SalesDashboardFieldsFragment, unknown>;
export const QueuePolicyFieldsFragmentDoc = new TypedDocumentString(`
    fragment QueuePolicyFields on QueuePolicy {
  admitsPerSecond
  maxActive
  paused
  updatedAt
}
    `, {"fragmentName":"QueuePolicyFields"}) as unknown as TypedDocumentString<QueuePolicyFieldsFragment, unknown>;
export const AdminUserFieldsFragmentDoc = new TypedDocumentString(`
    fragment AdminUserFields on User {
  id
  email
  name
  role
  locked
  lockedReason
}
    `, {"fragmentName":"AdminUserFields"}) as unknown as TypedDocumentString<AdminUserFieldsFragment, unknown>;
export const QueueTicketFieldsFragmentDoc = new TypedDocumentString(`
    fragment QueueTicketFields on QueueTicket {
  token
  status
  position
  estimatedWaitSeconds
  expiresAt
  opensAt
  admissionPass
}
    `, {"fragmentName":"QueueTicketFields"}) as unknown as TypedDocumentString<QueueTicketFieldsFragment, unknown>;
export const AdminScheduleBookingsDocument = new TypedDocumentString(`
    query AdminScheduleBookings($scheduleId: ID!, $status: BookingStatus, $userId: ID, $createdFrom: DateTime, $createdBefore: DateTime, $after: String) {
  scheduleBookings(
    scheduleId: $scheduleId
    status: $status
    userId: $userId
    createdFrom: $createdFrom
    createdBefore: $createdBefore
    first: 20
    after: $after
  ) {
    nodes {
      id
      status
      amount
      createdAt
      guestName
      user {
        id
        email
        name
      }
      seats {
        id
        section
        row
        number
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AdminScheduleBookingsQuery, AdminScheduleBookingsQueryVariables>;
export const AdminRefundBookingDocument = new TypedDocumentString(`
    mutation AdminRefundBooking($bookingId: ID!, $reason: String!) {
  refundBooking(bookingId: $bookingId, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<AdminRefundBookingMutation, AdminRefundBookingMutationVariables>;
export const AdminConcertsDocument = new TypedDocumentString(`
    query AdminConcerts($after: String) {
  concerts(first: 20, after: $after) {
    nodes {
      id
      title
      artist
      venue
      schedules {
        id
        startsAt
        salesClosedAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AdminConcertsQuery, AdminConcertsQueryVariables>;
export const AdminCreateConcertDocument = new TypedDocumentString(`
    mutation AdminCreateConcert($input: CreateConcertInput!) {
  createConcert(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<AdminCreateConcertMutation, AdminCreateConcertMutationVariables>;
export const AdminConcertDocument = new TypedDocumentString(`
    query AdminConcert($id: ID!) {
  concert(id: $id) {
    id
    title
    artist
    venue
    schedules {
      id
      startsAt
      bookingOpensAt
      maxSeatsPerFan
      refundCutoffHours
      salesClosedAt
      availableSeatCount
    }
  }
}
    `) as unknown as TypedDocumentString<AdminConcertQuery, AdminConcertQueryVariables>;
export const AdminUpdateConcertDocument = new TypedDocumentString(`
    mutation AdminUpdateConcert($id: ID!, $input: UpdateConcertInput!) {
  updateConcert(id: $id, input: $input) {
    id
    title
    artist
    venue
  }
}
    `) as unknown as TypedDocumentString<AdminUpdateConcertMutation, AdminUpdateConcertMutationVariables>;
export const AdminCreateScheduleDocument = new TypedDocumentString(`
    mutation AdminCreateSchedule($concertId: ID!, $input: CreateScheduleInput!) {
  createSchedule(concertId: $concertId, input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<AdminCreateScheduleMutation, AdminCreateScheduleMutationVariables>;
export const AdminSalesDashboardDocument = new TypedDocumentString(`
    query AdminSalesDashboard($scheduleId: ID!) {
  salesDashboard(scheduleId: $scheduleId) {
    ...SalesDashboardFields
  }
}
    fragment SalesDashboardFields on SalesDashboard {
  scheduleId
  seatsTotal
  seatsAvailable
  seatsHeld
  seatsSold
  seatsBlocked
  revenue
  refunded
  bookingsConfirmed
  bookingsCancelled
  bookingsExpired
  fansAdmitted
  conversion
  asOfPosition
  updatedAt
  bySection {
    section
    seatsTotal
    seatsSold
    seatsHeld
    seatsBlocked
    revenue
  }
}`) as unknown as TypedDocumentString<AdminSalesDashboardQuery, AdminSalesDashboardQueryVariables>;
export const AdminSalesUpdatedDocument = new TypedDocumentString(`
    subscription AdminSalesUpdated($scheduleId: ID!) {
  salesUpdated(scheduleId: $scheduleId) {
    ...SalesDashboardFields
  }
}
    fragment SalesDashboardFields on SalesDashboard {
  scheduleId
  seatsTotal
  seatsAvailable
  seatsHeld
  seatsSold
  seatsBlocked
  revenue
  refunded
  bookingsConfirmed
  bookingsCancelled
  bookingsExpired
  fansAdmitted
  conversion
  asOfPosition
  updatedAt
  bySection {
    section
    seatsTotal
    seatsSold
    seatsHeld
    seatsBlocked
    revenue
  }
}`) as unknown as TypedDocumentString<AdminSalesUpdatedSubscription, AdminSalesUpdatedSubscriptionVariables>;
export const AdminQueueStateDocument = new TypedDocumentString(`
    query AdminQueueState($scheduleId: ID!) {
  queueStats(scheduleId: $scheduleId) {
    waiting
    preQueue
    active
    admitted
    admitsPerSecond
    maxActive
    paused
  }
  queuePolicy(scheduleId: $scheduleId) {
    ...QueuePolicyFields
  }
}
    fragment QueuePolicyFields on QueuePolicy {
  admitsPerSecond
  maxActive
  paused
  updatedAt
}`) as unknown as TypedDocumentString<AdminQueueStateQuery, AdminQueueStateQueryVariables>;
export const AdminSetQueuePolicyDocument = new TypedDocumentString(`
    mutation AdminSetQueuePolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int) {
  setQueuePolicy(
    scheduleId: $scheduleId
    admitsPerSecond: $admitsPerSecond
    maxActive: $maxActive
  ) {
    ...QueuePolicyFields
  }
}
    fragment QueuePolicyFields on QueuePolicy {
  admitsPerSecond
  maxActive
  paused
  updatedAt
}`) as unknown as TypedDocumentString<AdminSetQueuePolicyMutation, AdminSetQueuePolicyMutationVariables>;
export const AdminPauseQueueDocument = new TypedDocumentString(`
    mutation AdminPauseQueue($scheduleId: ID!) {
  pauseQueue(scheduleId: $scheduleId) {
    ...QueuePolicyFields
  }
}
    fragment QueuePolicyFields on QueuePolicy {
  admitsPerSecond
  maxActive
  paused
  updatedAt
}`) as unknown as TypedDocumentString<AdminPauseQueueMutation, AdminPauseQueueMutationVariables>;
export const AdminResumeQueueDocument = new TypedDocumentString(`
    mutation AdminResumeQueue($scheduleId: ID!) {
  resumeQueue(scheduleId: $scheduleId) {
    ...QueuePolicyFields
  }
}
    fragment QueuePolicyFields on QueuePolicy {
  admitsPerSecond
  maxActive
  paused
  updatedAt
}`) as unknown as TypedDocumentString<AdminResumeQueueMutation, AdminResumeQueueMutationVariables>;
export const AdminOpenSalesDocument = new TypedDocumentString(`
    mutation AdminOpenSales($scheduleId: ID!) {
  openSales(scheduleId: $scheduleId) {
    id
    salesClosedAt
    bookingOpensAt
  }
}
    `) as unknown as TypedDocumentString<AdminOpenSalesMutation, AdminOpenSalesMutationVariables>;
export const AdminCloseSalesDocument = new TypedDocumentString(`
    mutation AdminCloseSales($scheduleId: ID!, $reason: String!) {
  closeSales(scheduleId: $scheduleId, reason: $reason) {
    id
    salesClosedAt
    bookingOpensAt
  }
}
    `) as unknown as TypedDocumentString<AdminCloseSalesMutation, AdminCloseSalesMutationVariables>;
export const AdminDeadLettersDocument = new TypedDocumentString(`
    query AdminDeadLetters($source: SagaTopic!) {
  deadLetters(source: $source, limit: 100) {
    topic
    partition
    offset
    key
    eventType
    reason
    consumer
    sourceTopic
    failedAt
    value
  }
}
    `) as unknown as TypedDocumentString<AdminDeadLettersQuery, AdminDeadLettersQueryVariables>;
export const AdminRedriveDeadLetterDocument = new TypedDocumentString(`
    mutation AdminRedriveDeadLetter($source: SagaTopic!, $partition: Int!, $offset: String!) {
  redriveDeadLetter(source: $source, partition: $partition, offset: $offset) {
    partition
    offset
  }
}
    `) as unknown as TypedDocumentString<AdminRedriveDeadLetterMutation, AdminRedriveDeadLetterMutationVariables>;
export const AdminScheduleDocument = new TypedDocumentString(`
    query AdminSchedule($id: ID!) {
  schedule(id: $id) {
    id
    startsAt
    bookingOpensAt
    maxSeatsPerFan
    refundCutoffHours
    salesClosedAt
    pricesFrozenAt
    concert {
      id
      title
      venue
    }
  }
}
    `) as unknown as TypedDocumentString<AdminScheduleQuery, AdminScheduleQueryVariables>;
export const AdminSeatsDocument = new TypedDocumentString(`
    query AdminSeats($id: ID!) {
  schedule(id: $id) {
    id
    seats {
      id
      section
      row
      number
      price
      status
    }
  }
}
    `) as unknown as TypedDocumentString<AdminSeatsQuery, AdminSeatsQueryVariables>;
export const AdminSeatsUpdatedDocument = new TypedDocumentString(`
    subscription AdminSeatsUpdated($scheduleId: ID!) {
  seatsUpdated(scheduleId: $scheduleId) {
    id
    status
    price
  }
}
    `) as unknown as TypedDocumentString<AdminSeatsUpdatedSubscription, AdminSeatsUpdatedSubscriptionVariables>;
export const AdminUpdateScheduleDocument = new TypedDocumentString(`
    mutation AdminUpdateSchedule($id: ID!, $input: UpdateScheduleInput!) {
  updateSchedule(id: $id, input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<AdminUpdateScheduleMutation, AdminUpdateScheduleMutationVariables>;
export const AdminAddSeatsDocument = new TypedDocumentString(`
    mutation AdminAddSeats($scheduleId: ID!, $blocks: [SeatBlockInput!]!) {
  addSeats(scheduleId: $scheduleId, blocks: $blocks) {
    id
    seats {
      id
      section
      row
      number
      price
      status
    }
  }
}
    `) as unknown as TypedDocumentString<AdminAddSeatsMutation, AdminAddSeatsMutationVariables>;
export const AdminSetSectionPriceDocument = new TypedDocumentString(`
    mutation AdminSetSectionPrice($scheduleId: ID!, $section: String!, $price: Int!) {
  setSectionPrice(scheduleId: $scheduleId, section: $section, price: $price) {
    id
    seats {
      id
      section
      row
      number
      price
      status
    }
  }
}
    `) as unknown as TypedDocumentString<AdminSetSectionPriceMutation, AdminSetSectionPriceMutationVariables>;
export const AdminBlockSeatsDocument = new TypedDocumentString(`
    mutation AdminBlockSeats($scheduleId: ID!, $seatIds: [ID!]!, $reason: String!) {
  blockSeats(scheduleId: $scheduleId, seatIds: $seatIds, reason: $reason) {
    id
  }
}
    `) as unknown as TypedDocumentString<AdminBlockSeatsMutation, AdminBlockSeatsMutationVariables>;
export const AdminReleaseSeatsDocument = new TypedDocumentString(`
    mutation AdminReleaseSeats($scheduleId: ID!, $seatIds: [ID!]!) {
  releaseSeats(scheduleId: $scheduleId, seatIds: $seatIds) {
    id
  }
}
    `) as unknown as TypedDocumentString<AdminReleaseSeatsMutation, AdminReleaseSeatsMutationVariables>;
export const AdminBookBlockedSeatsDocument = new TypedDocumentString(`
    mutation AdminBookBlockedSeats($scheduleId: ID!, $seatIds: [ID!]!, $guestName: String!) {
  bookBlockedSeats(
    scheduleId: $scheduleId
    seatIds: $seatIds
    guestName: $guestName
  ) {
    id
    status
    guestName
    seats {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AdminBookBlockedSeatsMutation, AdminBookBlockedSeatsMutationVariables>;
export const AdminUsersDocument = new TypedDocumentString(`
    query AdminUsers($search: String, $after: String) {
  users(search: $search, first: 20, after: $after) {
    nodes {
      ...AdminUserFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AdminUserFields on User {
  id
  email
  name
  role
  locked
  lockedReason
}`) as unknown as TypedDocumentString<AdminUsersQuery, AdminUsersQueryVariables>;
export const AdminSetUserRoleDocument = new TypedDocumentString(`
    mutation AdminSetUserRole($userId: ID!, $role: Role!) {
  setUserRole(userId: $userId, role: $role) {
    ...AdminUserFields
  }
}
    fragment AdminUserFields on User {
  id
  email
  name
  role
  locked
  lockedReason
}`) as unknown as TypedDocumentString<AdminSetUserRoleMutation, AdminSetUserRoleMutationVariables>;
export const AdminLockUserDocument = new TypedDocumentString(`
    mutation AdminLockUser($userId: ID!, $reason: String!) {
  lockUser(userId: $userId, reason: $reason) {
    ...AdminUserFields
  }
}
    fragment AdminUserFields on User {
  id
  email
  name
  role
  locked
  lockedReason
}`) as unknown as TypedDocumentString<AdminLockUserMutation, AdminLockUserMutationVariables>;
export const AdminUnlockUserDocument = new TypedDocumentString(`
    mutation AdminUnlockUser($userId: ID!) {
  unlockUser(userId: $userId) {
    ...AdminUserFields
  }
}
    fragment AdminUserFields on User {
  id
  email
  name
  role
  locked
  lockedReason
}`) as unknown as TypedDocumentString<AdminUnlockUserMutation, AdminUnlockUserMutationVariables>;
export const BookingDocument = new TypedDocumentString(`
    query Booking($id: ID!) {
  booking(id: $id) {
    id
    status
    amount
    heldUntil
    createdAt
    seats {
      id
      section
      row
      number
      price
    }
    schedule {
      id
      startsAt
      refundCutoffHours
      concert {
        title
      }
    }
    history {
      status
      at
      reason
    }
    timeline {
      eventId
      at
      summary
      service
    }
  }
  me {
    id
    wallet {
      balance
    }
  }
}
    `) as unknown as TypedDocumentString<BookingQuery, BookingQueryVariables>;
export const BookingUpdatedDocument = new TypedDocumentString(`
    subscription BookingUpdated($bookingId: ID!) {
  bookingUpdated(bookingId: $bookingId) {
    id
    status
    heldUntil
    history {
      status
      at
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<BookingUpdatedSubscription, BookingUpdatedSubscriptionVariables>;
export const ChargeWalletDocument = new TypedDocumentString(`
    mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) {
  chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) {
    balance
  }
}
    `) as unknown as TypedDocumentString<ChargeWalletMutation, ChargeWalletMutationVariables>;
export const PayBookingDocument = new TypedDocumentString(`
    mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) {
  payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PayBookingMutation, PayBookingMutationVariables>;
export const CancelBookingDocument = new TypedDocumentString(`
    mutation CancelBooking($bookingId: ID!) {
  cancelBooking(bookingId: $bookingId) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CancelBookingMutation, CancelBookingMutationVariables>;
export const RefundBookingDocument = new TypedDocumentString(`
    mutation RefundBooking($bookingId: ID!, $reason: String!) {
  refundBooking(bookingId: $bookingId, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RefundBookingMutation, RefundBookingMutationVariables>;
export const ConcertsDocument = new TypedDocumentString(`
    query Concerts($after: String) {
  concerts(first: 20, after: $after) {
    nodes {
      id
      title
      artist
      venue
      schedules {
        id
        startsAt
        bookingOpensAt
        salesClosedAt
        availableSeatCount
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ConcertsQuery, ConcertsQueryVariables>;
export const MyBookingsDocument = new TypedDocumentString(`
    query MyBookings($after: String) {
  myBookings(first: 20, after: $after) {
    nodes {
      id
      status
      amount
      createdAt
      seats {
        id
      }
      schedule {
        startsAt
        concert {
          title
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<MyBookingsQuery, MyBookingsQueryVariables>;
export const ScheduleDocument = new TypedDocumentString(`
    query Schedule($id: ID!) {
  schedule(id: $id) {
    id
    startsAt
    bookingOpensAt
    salesClosedAt
    maxSeatsPerFan
    concert {
      id
      title
      artist
      venue
    }
    seats {
      id
      section
      row
      number
      price
      status
    }
  }
}
    `) as unknown as TypedDocumentString<ScheduleQuery, ScheduleQueryVariables>;
export const EnterQueueDocument = new TypedDocumentString(`
    mutation EnterQueue($scheduleId: ID!) {
  enterQueue(scheduleId: $scheduleId) {
    ...QueueTicketFields
  }
}
    fragment QueueTicketFields on QueueTicket {
  token
  status
  position
  estimatedWaitSeconds
  expiresAt
  opensAt
  admissionPass
}`) as unknown as TypedDocumentString<EnterQueueMutation, EnterQueueMutationVariables>;
export const QueueTicketDocument = new TypedDocumentString(`
    query QueueTicket($token: String!) {
  queueTicket(token: $token) {
    ...QueueTicketFields
  }
}
    fragment QueueTicketFields on QueueTicket {
  token
  status
  position
  estimatedWaitSeconds
  expiresAt
  opensAt
  admissionPass
}`) as unknown as TypedDocumentString<QueueTicketQuery, QueueTicketQueryVariables>;
export const QueueTicketUpdatedDocument = new TypedDocumentString(`
    subscription QueueTicketUpdated($token: String!) {
  queueTicketUpdated(token: $token) {
    ...QueueTicketFields
  }
}
    fragment QueueTicketFields on QueueTicket {
  token
  status
  position
  estimatedWaitSeconds
  expiresAt
  opensAt
  admissionPass
}`) as unknown as TypedDocumentString<QueueTicketUpdatedSubscription, QueueTicketUpdatedSubscriptionVariables>;
export const SeatsUpdatedDocument = new TypedDocumentString(`
    subscription SeatsUpdated($scheduleId: ID!) {
  seatsUpdated(scheduleId: $scheduleId) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<SeatsUpdatedSubscription, SeatsUpdatedSubscriptionVariables>;
export const HoldSeatsDocument = new TypedDocumentString(`
    mutation HoldSeats($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) {
  holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) {
    id
    status
    heldUntil
  }
}
    `) as unknown as TypedDocumentString<HoldSeatsMutation, HoldSeatsMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    token
    user {
      id
      name
      email
      role
    }
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) {
    token
    user {
      id
      name
      email
      role
    }
  }
}
    `) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;