-- The city store's migration 4: each hall's appointments (预约), as its booking events leave
-- them, so that the city can count what its halls booked, served and lost: the slot, the
-- state (booked, cancelled, checked_in, no_show), when it was booked and last changed, and the
-- ticket its check-in gave. A booking event carries no ID number, and neither does the store.
CREATE TABLE hallq.bookings (
    hall       text   NOT NULL,
    epoch      text   NOT NULL,
    code       text   NOT NULL,
    seq        bigint NOT NULL, -- the event that last wrote the row
    queue      text   NOT NULL,
    service    integer,
    day        date   NOT NULL,
    slot       time   NOT NULL,
    state      text   NOT NULL,
    booked_ms  bigint NOT NULL,
    changed_ms bigint,
    ticket     text,            -- its label, once checked in
    PRIMARY KEY (hall, epoch, code)
);
CREATE INDEX bookings_hall_day ON hallq.bookings (hall, day);

-- One booking event's booking into the table; an older event never overwrites a newer one.
CREATE FUNCTION hallq.apply_booking(p_hall text, p_epoch text, p_seq bigint, b jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hallq.bookings AS k
        (hall, epoch, code, seq, queue, service, day, slot, state, booked_ms, changed_ms, ticket)
    VALUES (p_hall, p_epoch, b ->> 'code', p_seq, b ->> 'queue', (b ->> 'service')::integer,
            (b ->> 'date')::date, (b ->> 'slot')::time, b ->> 'state',
            (b ->> 'booked_ms')::bigint, (b ->> 'changed_ms')::bigint, b ->> 'ticket')
    ON CONFLICT (hall, epoch, code) DO UPDATE SET
        seq = excluded.seq, queue = excluded.queue, service = excluded.service,
        day = excluded.day, slot = excluded.slot, state = excluded.state,
        changed_ms = excluded.changed_ms, ticket = excluded.ticket
    WHERE k.seq < excluded.seq;
END $$;

-- A trigger of its own, for booking events only: tickets stay migration 3's.
CREATE FUNCTION hallq.apply_booking_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fork bigint;
BEGIN
    SELECT fork_seq INTO fork FROM hallq.epochs WHERE hall = NEW.hall AND epoch = NEW.epoch;
    -- The parent epoch's events already made those bookings.
    IF NEW.seq > coalesce(fork, 0) AND jsonb_typeof(NEW.body -> 'booking') = 'object' THEN
        PERFORM hallq.apply_booking(NEW.hall, NEW.epoch, NEW.seq, NEW.body -> 'booking');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_bookings AFTER INSERT ON hallq.events
    FOR EACH ROW WHEN (NEW.type = 'booking') EXECUTE FUNCTION hallq.apply_booking_event();

-- The bookings of events shipped before this migration (a statement that returns no rows:
-- the migration runs as one command).
DO $$
BEGIN
    PERFORM hallq.apply_booking(e.hall, e.epoch, e.seq, e.body -> 'booking')
       FROM hallq.events e
       LEFT JOIN hallq.epochs p ON p.hall = e.hall AND p.epoch = e.epoch
      WHERE e.type = 'booking' AND jsonb_typeof(e.body -> 'booking') = 'object'
        AND e.seq > coalesce(p.fork_seq, 0);
END $$;
