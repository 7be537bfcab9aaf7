/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Booking($id: ID!) {\n    booking(id: $id) {\n      id status amount heldUntil createdAt\n      seats { id section row number price }\n      schedule { id startsAt refundCutoffHours concert { title } }\n      history { status at reason }\n      timeline { eventId at summary service }\n    }\n    me { id wallet { balance } }\n  }\n": typeof types.BookingDocument,
    "\n  subscription BookingUpdated($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status heldUntil history { status at reason } } }\n": typeof types.BookingUpdatedDocument,
    "\n  mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) { chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance } }\n": typeof types.ChargeWalletDocument,
    "\n  mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) { id status } }\n": typeof types.PayBookingDocument,
    "\n  mutation CancelBooking($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }\n": typeof types.CancelBookingDocument,
    "\n  mutation RefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n": typeof types.RefundBookingDocument,
    "\n  query Concerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt bookingOpensAt salesClosedAt availableSeatCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConcertsDocument,
    "\n  query MyBookings($after: String) {\n    myBookings(first: 20, after: $after) {\n      nodes { id status amount createdAt seats { id } schedule { startsAt concert { title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MyBookingsDocument,
    "\n  query Schedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt salesClosedAt maxSeatsPerFan\n      concert { id title artist venue }\n      seats { id section row number price status }\n    }\n  }\n": typeof types.ScheduleDocument,
    "\n  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt }\n": typeof types.QueueTicketFieldsFragmentDoc,
    "\n  mutation EnterQueue($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { ...QueueTicketFields } }\n": typeof types.EnterQueueDocument,
    "\n  query QueueTicket($token: String!) { queueTicket(token: $token) { ...QueueTicketFields } }\n": typeof types.QueueTicketDocument,
    "\n  subscription QueueTicketUpdated($token: String!) { queueTicketUpdated(token: $token) { ...QueueTicketFields } }\n": typeof types.QueueTicketUpdatedDocument,
    "\n  subscription SeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status } }\n": typeof types.SeatsUpdatedDocument,
    "\n  mutation HoldSeats($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) {\n    holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status heldUntil }\n  }\n": typeof types.HoldSeatsDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token user { id name email role } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token user { id name email role } }\n  }\n": typeof types.LogInDocument,
};
const documents: Documents = {
    "\n  query Booking($id: ID!) {\n    booking(id: $id) {\n      id status amount heldUntil createdAt\n      seats { id section row number price }\n      schedule { id startsAt refundCutoffHours concert { title } }\n      history { status at reason }\n      timeline { eventId at summary service }\n    }\n    me { id wallet { balance } }\n  }\n": types.BookingDocument,
    "\n  subscription BookingUpdated($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status heldUntil history { status at reason } } }\n": types.BookingUpdatedDocument,
    "\n  mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) { chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance } }\n": types.ChargeWalletDocument,
    "\n  mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) { id status } }\n": types.PayBookingDocument,
    "\n  mutation CancelBooking($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }\n": types.CancelBookingDocument,
    "\n  mutation RefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n": types.RefundBookingDocument,
    "\n  query Concerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt bookingOpensAt salesClosedAt availableSeatCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConcertsDocument,
    "\n  query MyBookings($after: String) {\n    myBookings(first: 20, after: $after) {\n      nodes { id status amount createdAt seats { id } schedule { startsAt concert { title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MyBookingsDocument,
    "\n  query Schedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt salesClosedAt maxSeatsPerFan\n      concert { id title artist venue }\n      seats { id section row number price status }\n    }\n  }\n": types.ScheduleDocument,
    "\n  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt }\n": types.QueueTicketFieldsFragmentDoc,
    "\n  mutation EnterQueue($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { ...QueueTicketFields } }\n": types.EnterQueueDocument,
    "\n  query QueueTicket($token: String!) { queueTicket(token: $token) { ...QueueTicketFields } }\n": types.QueueTicketDocument,
    "\n  subscription QueueTicketUpdated($token: String!) { queueTicketUpdated(token: $token) { ...QueueTicketFields } }\n": types.QueueTicketUpdatedDocument,
    "\n  subscription SeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status } }\n": types.SeatsUpdatedDocument,
    "\n  mutation HoldSeats($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) {\n    holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status heldUntil }\n  }\n": types.HoldSeatsDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token user { id name email role } }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token user { id name email role } }\n  }\n": types.LogInDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Booking($id: ID!) {\n    booking(id: $id) {\n      id status amount heldUntil createdAt\n      seats { id section row number price }\n      schedule { id startsAt refundCutoffHours concert { title } }\n      history { status at reason }\n      timeline { eventId at summary service }\n    }\n    me { id wallet { balance } }\n  }\n"): typeof import('./graphql').BookingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BookingUpdated($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status heldUntil history { status at reason } } }\n"): typeof import('./graphql').BookingUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) { chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance } }\n"): typeof import('./graphql').ChargeWalletDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) { id status } }\n"): typeof import('./graphql').PayBookingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelBooking($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }\n"): typeof import('./graphql').CancelBookingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n"): typeof import('./graphql').RefundBookingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Concerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt bookingOpensAt salesClosedAt availableSeatCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').ConcertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyBookings($after: String) {\n    myBookings(first: 20, after: $after) {\n      nodes { id status amount createdAt seats { id } schedule { startsAt concert { title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').MyBookingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Schedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt salesClosedAt maxSeatsPerFan\n      concert { id title artist venue }\n      seats { id section row number price status }\n    }\n  }\n"): typeof import('./graphql').ScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt }\n"): typeof import('./graphql').QueueTicketFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnterQueue($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { ...QueueTicketFields } }\n"): typeof import('./graphql').EnterQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QueueTicket($token: String!) { queueTicket(token: $token) { ...QueueTicketFields } }\n"): typeof import('./graphql').QueueTicketDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription QueueTicketUpdated($token: String!) { queueTicketUpdated(token: $token) { ...QueueTicketFields } }\n"): typeof import('./graphql').QueueTicketUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status } }\n"): typeof import('./graphql').SeatsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HoldSeats($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) {\n    holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status heldUntil }\n  }\n"): typeof import('./graphql').HoldSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token user { id name email role } }\n  }\n"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token user { id name email role } }\n  }\n"): typeof import('./graphql').LogInDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
