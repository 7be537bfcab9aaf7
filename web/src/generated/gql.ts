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
    "\n  query AdminScheduleBookings($scheduleId: ID!, $status: BookingStatus, $userId: ID, $createdFrom: DateTime, $createdBefore: DateTime, $after: String) {\n    scheduleBookings(scheduleId: $scheduleId, status: $status, userId: $userId, createdFrom: $createdFrom, createdBefore: $createdBefore, first: 20, after: $after) {\n      nodes { id status amount createdAt guestName user { id email name } seats { id section row number } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AdminScheduleBookingsDocument,
    "\n  mutation AdminRefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n": typeof types.AdminRefundBookingDocument,
    "\n  query AdminConcerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt salesClosedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AdminConcertsDocument,
    "\n  mutation AdminCreateConcert($input: CreateConcertInput!) { createConcert(input: $input) { id } }\n": typeof types.AdminCreateConcertDocument,
    "\n  query AdminConcert($id: ID!) {\n    concert(id: $id) {\n      id title artist venue\n      schedules { id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt availableSeatCount }\n    }\n  }\n": typeof types.AdminConcertDocument,
    "\n  mutation AdminUpdateConcert($id: ID!, $input: UpdateConcertInput!) { updateConcert(id: $id, input: $input) { id title artist venue } }\n": typeof types.AdminUpdateConcertDocument,
    "\n  mutation AdminCreateSchedule($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { id } }\n": typeof types.AdminCreateScheduleDocument,
    "\n  fragment SalesDashboardFields on SalesDashboard {\n    scheduleId seatsTotal seatsAvailable seatsHeld seatsSold seatsBlocked revenue refunded\n    bookingsConfirmed bookingsCancelled bookingsExpired fansAdmitted conversion asOfPosition updatedAt\n    bySection { section seatsTotal seatsSold seatsHeld seatsBlocked revenue }\n  }\n": typeof types.SalesDashboardFieldsFragmentDoc,
    "\n  query AdminSalesDashboard($scheduleId: ID!) { salesDashboard(scheduleId: $scheduleId) { ...SalesDashboardFields } }\n": typeof types.AdminSalesDashboardDocument,
    "\n  subscription AdminSalesUpdated($scheduleId: ID!) { salesUpdated(scheduleId: $scheduleId) { ...SalesDashboardFields } }\n": typeof types.AdminSalesUpdatedDocument,
    "\n  fragment QueuePolicyFields on QueuePolicy { admitsPerSecond maxActive paused updatedAt }\n": typeof types.QueuePolicyFieldsFragmentDoc,
    "\n  query AdminQueueState($scheduleId: ID!) {\n    queueStats(scheduleId: $scheduleId) { waiting preQueue active admitted admitsPerSecond maxActive paused }\n    queuePolicy(scheduleId: $scheduleId) { ...QueuePolicyFields }\n  }\n": typeof types.AdminQueueStateDocument,
    "\n  mutation AdminSetQueuePolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int) {\n    setQueuePolicy(scheduleId: $scheduleId, admitsPerSecond: $admitsPerSecond, maxActive: $maxActive) { ...QueuePolicyFields }\n  }\n": typeof types.AdminSetQueuePolicyDocument,
    "\n  mutation AdminPauseQueue($scheduleId: ID!) { pauseQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }\n": typeof types.AdminPauseQueueDocument,
    "\n  mutation AdminResumeQueue($scheduleId: ID!) { resumeQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }\n": typeof types.AdminResumeQueueDocument,
    "\n  mutation AdminOpenSales($scheduleId: ID!) { openSales(scheduleId: $scheduleId) { id salesClosedAt bookingOpensAt } }\n": typeof types.AdminOpenSalesDocument,
    "\n  mutation AdminCloseSales($scheduleId: ID!, $reason: String!) { closeSales(scheduleId: $scheduleId, reason: $reason) { id salesClosedAt bookingOpensAt } }\n": typeof types.AdminCloseSalesDocument,
    "\n  query AdminDeadLetters($source: SagaTopic!) {\n    deadLetters(source: $source, limit: 100) { topic partition offset key eventType reason consumer sourceTopic failedAt value }\n  }\n": typeof types.AdminDeadLettersDocument,
    "\n  mutation AdminRedriveDeadLetter($source: SagaTopic!, $partition: Int!, $offset: String!) {\n    redriveDeadLetter(source: $source, partition: $partition, offset: $offset) { partition offset }\n  }\n": typeof types.AdminRedriveDeadLetterDocument,
    "\n  query AdminSchedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt pricesFrozenAt\n      concert { id title venue }\n    }\n  }\n": typeof types.AdminScheduleDocument,
    "\n  query AdminSeats($id: ID!) { schedule(id: $id) { id seats { id section row number price status } } }\n": typeof types.AdminSeatsDocument,
    "\n  subscription AdminSeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status price } }\n": typeof types.AdminSeatsUpdatedDocument,
    "\n  mutation AdminUpdateSchedule($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { id } }\n": typeof types.AdminUpdateScheduleDocument,
    "\n  mutation AdminAddSeats($scheduleId: ID!, $blocks: [SeatBlockInput!]!) {\n    addSeats(scheduleId: $scheduleId, blocks: $blocks) { id seats { id section row number price status } }\n  }\n": typeof types.AdminAddSeatsDocument,
    "\n  mutation AdminSetSectionPrice($scheduleId: ID!, $section: String!, $price: Int!) {\n    setSectionPrice(scheduleId: $scheduleId, section: $section, price: $price) { id seats { id section row number price status } }\n  }\n": typeof types.AdminSetSectionPriceDocument,
    "\n  mutation AdminBlockSeats($scheduleId: ID!, $seatIds: [ID!]!, $reason: String!) { blockSeats(scheduleId: $scheduleId, seatIds: $seatIds, reason: $reason) { id } }\n": typeof types.AdminBlockSeatsDocument,
    "\n  mutation AdminReleaseSeats($scheduleId: ID!, $seatIds: [ID!]!) { releaseSeats(scheduleId: $scheduleId, seatIds: $seatIds) { id } }\n": typeof types.AdminReleaseSeatsDocument,
    "\n  mutation AdminBookBlockedSeats($scheduleId: ID!, $seatIds: [ID!]!, $guestName: String!) {\n    bookBlockedSeats(scheduleId: $scheduleId, seatIds: $seatIds, guestName: $guestName) { id status guestName seats { id } }\n  }\n": typeof types.AdminBookBlockedSeatsDocument,
    "\n  fragment AdminUserFields on User { id email name role locked lockedReason }\n": typeof types.AdminUserFieldsFragmentDoc,
    "\n  query AdminUsers($search: String, $after: String) {\n    users(search: $search, first: 20, after: $after) { nodes { ...AdminUserFields } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation AdminSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...AdminUserFields } }\n": typeof types.AdminSetUserRoleDocument,
    "\n  mutation AdminLockUser($userId: ID!, $reason: String!) { lockUser(userId: $userId, reason: $reason) { ...AdminUserFields } }\n": typeof types.AdminLockUserDocument,
    "\n  mutation AdminUnlockUser($userId: ID!) { unlockUser(userId: $userId) { ...AdminUserFields } }\n": typeof types.AdminUnlockUserDocument,
    "\n  query Booking($id: ID!) {\n    booking(id: $id) {\n      id status amount heldUntil createdAt\n      seats { id section row number price }\n      schedule { id startsAt refundCutoffHours concert { title } }\n      history { status at reason }\n      timeline { eventId at summary service }\n    }\n    me { id wallet { balance } }\n  }\n": typeof types.BookingDocument,
    "\n  subscription BookingUpdated($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status heldUntil history { status at reason } } }\n": typeof types.BookingUpdatedDocument,
    "\n  mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) { chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance } }\n": typeof types.ChargeWalletDocument,
    "\n  mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) { id status } }\n": typeof types.PayBookingDocument,
    "\n  mutation CancelBooking($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }\n": typeof types.CancelBookingDocument,
    "\n  mutation RefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n": typeof types.RefundBookingDocument,
    "\n  query Concerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt bookingOpensAt salesClosedAt availableSeatCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConcertsDocument,
    "\n  query MyBookings($after: String) {\n    myBookings(first: 20, after: $after) {\n      nodes { id status amount createdAt seats { id } schedule { startsAt concert { title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MyBookingsDocument,
    "\n  query Schedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt salesClosedAt maxSeatsPerFan\n      concert { id title artist venue }\n      seats { id section row number price status }\n    }\n  }\n": typeof types.ScheduleDocument,
    "\n  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt admissionPass }\n": typeof types.QueueTicketFieldsFragmentDoc,
    "\n  mutation EnterQueue($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { ...QueueTicketFields } }\n": typeof types.EnterQueueDocument,
    "\n  query QueueTicket($token: String!) { queueTicket(token: $token) { ...QueueTicketFields } }\n": typeof types.QueueTicketDocument,
    "\n  subscription QueueTicketUpdated($token: String!) { queueTicketUpdated(token: $token) { ...QueueTicketFields } }\n": typeof types.QueueTicketUpdatedDocument,
    "\n  subscription SeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status } }\n": typeof types.SeatsUpdatedDocument,
    "\n  mutation HoldSeats($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) {\n    holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status heldUntil }\n  }\n": typeof types.HoldSeatsDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { token user { id name email role } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) { token user { id name email role } }\n  }\n": typeof types.LogInDocument,
};
const documents: Documents = {
    "\n  query AdminScheduleBookings($scheduleId: ID!, $status: BookingStatus, $userId: ID, $createdFrom: DateTime, $createdBefore: DateTime, $after: String) {\n    scheduleBookings(scheduleId: $scheduleId, status: $status, userId: $userId, createdFrom: $createdFrom, createdBefore: $createdBefore, first: 20, after: $after) {\n      nodes { id status amount createdAt guestName user { id email name } seats { id section row number } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AdminScheduleBookingsDocument,
    "\n  mutation AdminRefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n": types.AdminRefundBookingDocument,
    "\n  query AdminConcerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt salesClosedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AdminConcertsDocument,
    "\n  mutation AdminCreateConcert($input: CreateConcertInput!) { createConcert(input: $input) { id } }\n": types.AdminCreateConcertDocument,
    "\n  query AdminConcert($id: ID!) {\n    concert(id: $id) {\n      id title artist venue\n      schedules { id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt availableSeatCount }\n    }\n  }\n": types.AdminConcertDocument,
    "\n  mutation AdminUpdateConcert($id: ID!, $input: UpdateConcertInput!) { updateConcert(id: $id, input: $input) { id title artist venue } }\n": types.AdminUpdateConcertDocument,
    "\n  mutation AdminCreateSchedule($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { id } }\n": types.AdminCreateScheduleDocument,
    "\n  fragment SalesDashboardFields on SalesDashboard {\n    scheduleId seatsTotal seatsAvailable seatsHeld seatsSold seatsBlocked revenue refunded\n    bookingsConfirmed bookingsCancelled bookingsExpired fansAdmitted conversion asOfPosition updatedAt\n    bySection { section seatsTotal seatsSold seatsHeld seatsBlocked revenue }\n  }\n": types.SalesDashboardFieldsFragmentDoc,
    "\n  query AdminSalesDashboard($scheduleId: ID!) { salesDashboard(scheduleId: $scheduleId) { ...SalesDashboardFields } }\n": types.AdminSalesDashboardDocument,
    "\n  subscription AdminSalesUpdated($scheduleId: ID!) { salesUpdated(scheduleId: $scheduleId) { ...SalesDashboardFields } }\n": types.AdminSalesUpdatedDocument,
    "\n  fragment QueuePolicyFields on QueuePolicy { admitsPerSecond maxActive paused updatedAt }\n": types.QueuePolicyFieldsFragmentDoc,
    "\n  query AdminQueueState($scheduleId: ID!) {\n    queueStats(scheduleId: $scheduleId) { waiting preQueue active admitted admitsPerSecond maxActive paused }\n    queuePolicy(scheduleId: $scheduleId) { ...QueuePolicyFields }\n  }\n": types.AdminQueueStateDocument,
    "\n  mutation AdminSetQueuePolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int) {\n    setQueuePolicy(scheduleId: $scheduleId, admitsPerSecond: $admitsPerSecond, maxActive: $maxActive) { ...QueuePolicyFields }\n  }\n": types.AdminSetQueuePolicyDocument,
    "\n  mutation AdminPauseQueue($scheduleId: ID!) { pauseQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }\n": types.AdminPauseQueueDocument,
    "\n  mutation AdminResumeQueue($scheduleId: ID!) { resumeQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }\n": types.AdminResumeQueueDocument,
    "\n  mutation AdminOpenSales($scheduleId: ID!) { openSales(scheduleId: $scheduleId) { id salesClosedAt bookingOpensAt } }\n": types.AdminOpenSalesDocument,
    "\n  mutation AdminCloseSales($scheduleId: ID!, $reason: String!) { closeSales(scheduleId: $scheduleId, reason: $reason) { id salesClosedAt bookingOpensAt } }\n": types.AdminCloseSalesDocument,
    "\n  query AdminDeadLetters($source: SagaTopic!) {\n    deadLetters(source: $source, limit: 100) { topic partition offset key eventType reason consumer sourceTopic failedAt value }\n  }\n": types.AdminDeadLettersDocument,
    "\n  mutation AdminRedriveDeadLetter($source: SagaTopic!, $partition: Int!, $offset: String!) {\n    redriveDeadLetter(source: $source, partition: $partition, offset: $offset) { partition offset }\n  }\n": types.AdminRedriveDeadLetterDocument,
    "\n  query AdminSchedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt pricesFrozenAt\n      concert { id title venue }\n    }\n  }\n": types.AdminScheduleDocument,
    "\n  query AdminSeats($id: ID!) { schedule(id: $id) { id seats { id section row number price status } } }\n": types.AdminSeatsDocument,
    "\n  subscription AdminSeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status price } }\n": types.AdminSeatsUpdatedDocument,
    "\n  mutation AdminUpdateSchedule($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { id } }\n": types.AdminUpdateScheduleDocument,
    "\n  mutation AdminAddSeats($scheduleId: ID!, $blocks: [SeatBlockInput!]!) {\n    addSeats(scheduleId: $scheduleId, blocks: $blocks) { id seats { id section row number price status } }\n  }\n": types.AdminAddSeatsDocument,
    "\n  mutation AdminSetSectionPrice($scheduleId: ID!, $section: String!, $price: Int!) {\n    setSectionPrice(scheduleId: $scheduleId, section: $section, price: $price) { id seats { id section row number price status } }\n  }\n": types.AdminSetSectionPriceDocument,
    "\n  mutation AdminBlockSeats($scheduleId: ID!, $seatIds: [ID!]!, $reason: String!) { blockSeats(scheduleId: $scheduleId, seatIds: $seatIds, reason: $reason) { id } }\n": types.AdminBlockSeatsDocument,
    "\n  mutation AdminReleaseSeats($scheduleId: ID!, $seatIds: [ID!]!) { releaseSeats(scheduleId: $scheduleId, seatIds: $seatIds) { id } }\n": types.AdminReleaseSeatsDocument,
    "\n  mutation AdminBookBlockedSeats($scheduleId: ID!, $seatIds: [ID!]!, $guestName: String!) {\n    bookBlockedSeats(scheduleId: $scheduleId, seatIds: $seatIds, guestName: $guestName) { id status guestName seats { id } }\n  }\n": types.AdminBookBlockedSeatsDocument,
    "\n  fragment AdminUserFields on User { id email name role locked lockedReason }\n": types.AdminUserFieldsFragmentDoc,
    "\n  query AdminUsers($search: String, $after: String) {\n    users(search: $search, first: 20, after: $after) { nodes { ...AdminUserFields } pageInfo { hasNextPage endCursor } }\n  }\n": types.AdminUsersDocument,
    "\n  mutation AdminSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...AdminUserFields } }\n": types.AdminSetUserRoleDocument,
    "\n  mutation AdminLockUser($userId: ID!, $reason: String!) { lockUser(userId: $userId, reason: $reason) { ...AdminUserFields } }\n": types.AdminLockUserDocument,
    "\n  mutation AdminUnlockUser($userId: ID!) { unlockUser(userId: $userId) { ...AdminUserFields } }\n": types.AdminUnlockUserDocument,
    "\n  query Booking($id: ID!) {\n    booking(id: $id) {\n      id status amount heldUntil createdAt\n      seats { id section row number price }\n      schedule { id startsAt refundCutoffHours concert { title } }\n      history { status at reason }\n      timeline { eventId at summary service }\n    }\n    me { id wallet { balance } }\n  }\n": types.BookingDocument,
    "\n  subscription BookingUpdated($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status heldUntil history { status at reason } } }\n": types.BookingUpdatedDocument,
    "\n  mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) { chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance } }\n": types.ChargeWalletDocument,
    "\n  mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) { id status } }\n": types.PayBookingDocument,
    "\n  mutation CancelBooking($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }\n": types.CancelBookingDocument,
    "\n  mutation RefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n": types.RefundBookingDocument,
    "\n  query Concerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt bookingOpensAt salesClosedAt availableSeatCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConcertsDocument,
    "\n  query MyBookings($after: String) {\n    myBookings(first: 20, after: $after) {\n      nodes { id status amount createdAt seats { id } schedule { startsAt concert { title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MyBookingsDocument,
    "\n  query Schedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt salesClosedAt maxSeatsPerFan\n      concert { id title artist venue }\n      seats { id section row number price status }\n    }\n  }\n": types.ScheduleDocument,
    "\n  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt admissionPass }\n": types.QueueTicketFieldsFragmentDoc,
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
export function graphql(source: "\n  query AdminScheduleBookings($scheduleId: ID!, $status: BookingStatus, $userId: ID, $createdFrom: DateTime, $createdBefore: DateTime, $after: String) {\n    scheduleBookings(scheduleId: $scheduleId, status: $status, userId: $userId, createdFrom: $createdFrom, createdBefore: $createdBefore, first: 20, after: $after) {\n      nodes { id status amount createdAt guestName user { id email name } seats { id section row number } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').AdminScheduleBookingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }\n"): typeof import('./graphql').AdminRefundBookingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminConcerts($after: String) {\n    concerts(first: 20, after: $after) {\n      nodes { id title artist venue schedules { id startsAt salesClosedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').AdminConcertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateConcert($input: CreateConcertInput!) { createConcert(input: $input) { id } }\n"): typeof import('./graphql').AdminCreateConcertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminConcert($id: ID!) {\n    concert(id: $id) {\n      id title artist venue\n      schedules { id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt availableSeatCount }\n    }\n  }\n"): typeof import('./graphql').AdminConcertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUpdateConcert($id: ID!, $input: UpdateConcertInput!) { updateConcert(id: $id, input: $input) { id title artist venue } }\n"): typeof import('./graphql').AdminUpdateConcertDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateSchedule($concertId: ID!, $input: CreateScheduleInput!) { createSchedule(concertId: $concertId, input: $input) { id } }\n"): typeof import('./graphql').AdminCreateScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SalesDashboardFields on SalesDashboard {\n    scheduleId seatsTotal seatsAvailable seatsHeld seatsSold seatsBlocked revenue refunded\n    bookingsConfirmed bookingsCancelled bookingsExpired fansAdmitted conversion asOfPosition updatedAt\n    bySection { section seatsTotal seatsSold seatsHeld seatsBlocked revenue }\n  }\n"): typeof import('./graphql').SalesDashboardFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminSalesDashboard($scheduleId: ID!) { salesDashboard(scheduleId: $scheduleId) { ...SalesDashboardFields } }\n"): typeof import('./graphql').AdminSalesDashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AdminSalesUpdated($scheduleId: ID!) { salesUpdated(scheduleId: $scheduleId) { ...SalesDashboardFields } }\n"): typeof import('./graphql').AdminSalesUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment QueuePolicyFields on QueuePolicy { admitsPerSecond maxActive paused updatedAt }\n"): typeof import('./graphql').QueuePolicyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminQueueState($scheduleId: ID!) {\n    queueStats(scheduleId: $scheduleId) { waiting preQueue active admitted admitsPerSecond maxActive paused }\n    queuePolicy(scheduleId: $scheduleId) { ...QueuePolicyFields }\n  }\n"): typeof import('./graphql').AdminQueueStateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetQueuePolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int) {\n    setQueuePolicy(scheduleId: $scheduleId, admitsPerSecond: $admitsPerSecond, maxActive: $maxActive) { ...QueuePolicyFields }\n  }\n"): typeof import('./graphql').AdminSetQueuePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminPauseQueue($scheduleId: ID!) { pauseQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }\n"): typeof import('./graphql').AdminPauseQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminResumeQueue($scheduleId: ID!) { resumeQueue(scheduleId: $scheduleId) { ...QueuePolicyFields } }\n"): typeof import('./graphql').AdminResumeQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminOpenSales($scheduleId: ID!) { openSales(scheduleId: $scheduleId) { id salesClosedAt bookingOpensAt } }\n"): typeof import('./graphql').AdminOpenSalesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCloseSales($scheduleId: ID!, $reason: String!) { closeSales(scheduleId: $scheduleId, reason: $reason) { id salesClosedAt bookingOpensAt } }\n"): typeof import('./graphql').AdminCloseSalesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminDeadLetters($source: SagaTopic!) {\n    deadLetters(source: $source, limit: 100) { topic partition offset key eventType reason consumer sourceTopic failedAt value }\n  }\n"): typeof import('./graphql').AdminDeadLettersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRedriveDeadLetter($source: SagaTopic!, $partition: Int!, $offset: String!) {\n    redriveDeadLetter(source: $source, partition: $partition, offset: $offset) { partition offset }\n  }\n"): typeof import('./graphql').AdminRedriveDeadLetterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminSchedule($id: ID!) {\n    schedule(id: $id) {\n      id startsAt bookingOpensAt maxSeatsPerFan refundCutoffHours salesClosedAt pricesFrozenAt\n      concert { id title venue }\n    }\n  }\n"): typeof import('./graphql').AdminScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminSeats($id: ID!) { schedule(id: $id) { id seats { id section row number price status } } }\n"): typeof import('./graphql').AdminSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AdminSeatsUpdated($scheduleId: ID!) { seatsUpdated(scheduleId: $scheduleId) { id status price } }\n"): typeof import('./graphql').AdminSeatsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUpdateSchedule($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) { id } }\n"): typeof import('./graphql').AdminUpdateScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAddSeats($scheduleId: ID!, $blocks: [SeatBlockInput!]!) {\n    addSeats(scheduleId: $scheduleId, blocks: $blocks) { id seats { id section row number price status } }\n  }\n"): typeof import('./graphql').AdminAddSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetSectionPrice($scheduleId: ID!, $section: String!, $price: Int!) {\n    setSectionPrice(scheduleId: $scheduleId, section: $section, price: $price) { id seats { id section row number price status } }\n  }\n"): typeof import('./graphql').AdminSetSectionPriceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminBlockSeats($scheduleId: ID!, $seatIds: [ID!]!, $reason: String!) { blockSeats(scheduleId: $scheduleId, seatIds: $seatIds, reason: $reason) { id } }\n"): typeof import('./graphql').AdminBlockSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminReleaseSeats($scheduleId: ID!, $seatIds: [ID!]!) { releaseSeats(scheduleId: $scheduleId, seatIds: $seatIds) { id } }\n"): typeof import('./graphql').AdminReleaseSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminBookBlockedSeats($scheduleId: ID!, $seatIds: [ID!]!, $guestName: String!) {\n    bookBlockedSeats(scheduleId: $scheduleId, seatIds: $seatIds, guestName: $guestName) { id status guestName seats { id } }\n  }\n"): typeof import('./graphql').AdminBookBlockedSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminUserFields on User { id email name role locked lockedReason }\n"): typeof import('./graphql').AdminUserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($search: String, $after: String) {\n    users(search: $search, first: 20, after: $after) { nodes { ...AdminUserFields } pageInfo { hasNextPage endCursor } }\n  }\n"): typeof import('./graphql').AdminUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...AdminUserFields } }\n"): typeof import('./graphql').AdminSetUserRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminLockUser($userId: ID!, $reason: String!) { lockUser(userId: $userId, reason: $reason) { ...AdminUserFields } }\n"): typeof import('./graphql').AdminLockUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUnlockUser($userId: ID!) { unlockUser(userId: $userId) { ...AdminUserFields } }\n"): typeof import('./graphql').AdminUnlockUserDocument;
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
export function graphql(source: "\n  fragment QueueTicketFields on QueueTicket { token status position estimatedWaitSeconds expiresAt opensAt admissionPass }\n"): typeof import('./graphql').QueueTicketFieldsFragmentDoc;
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
