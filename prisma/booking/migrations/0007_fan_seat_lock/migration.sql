-- A hold checks the fan's seat cap in one round trip instead of two (issue 10): the advisory lock
-- on (fan, schedule), then the count in a statement of its own. A VOLATILE function takes a fresh
-- snapshot for each statement it runs, so under READ COMMITTED the count sees every hold of the
-- fan committed before the lock was granted, as the two statements sent one after the other did.
CREATE FUNCTION "lock_fan_seats"(p_user_id TEXT, p_schedule_id TEXT, p_statuses TEXT[]) RETURNS INTEGER
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    claimed INTEGER;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('fan-seats:' || p_user_id || ':' || p_schedule_id, 0));
    SELECT count(*)::int INTO claimed
      FROM "bookings" b JOIN "seat_claims" c ON c."booking_id" = b."id"
     WHERE b."user_id" = p_user_id::uuid AND b."schedule_id" = p_schedule_id::uuid AND b."status"::text = ANY(p_statuses);
    RETURN claimed;
END;
$$;
