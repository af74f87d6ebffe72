-- The city store's migration 3: why each ticket was called, as the hall's own tickets table
-- keeps it (the reason in words and its code: oldest first, the green lane's turn, an
-- appointment, a recall...), so that the city's ticket records carry it as the hall's do.
--
-- The ticket in each event carries both; tickets shipped before this migration take them
-- from the event that last wrote their row.
ALTER TABLE hallq.tickets ADD COLUMN reason text, ADD COLUMN reason_code text;
UPDATE hallq.tickets k
   SET reason = e.body -> 'ticket' ->> 'reason', reason_code = e.body -> 'ticket' ->> 'reason_code'
  FROM hallq.events e
 WHERE e.hall = k.hall AND e.epoch = k.epoch AND e.seq = k.seq;

-- As in migration 1, with the two columns.
CREATE OR REPLACE FUNCTION hallq.apply_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t    jsonb := NEW.body -> 'ticket';
    fork bigint;
BEGIN
    SELECT fork_seq INTO fork FROM hallq.epochs WHERE hall = NEW.hall AND epoch = NEW.epoch;
    -- The parent epoch's events already made those tickets.
    IF NEW.seq <= coalesce(fork, 0) THEN
        RETURN NULL;
    END IF;
    IF NEW.type = 'day' THEN
        -- What the hall did at the new business day: open tickets of earlier days expire
        -- (one being served stays with its counter).
        WITH gone AS (
            UPDATE hallq.tickets SET state = 'expired', seq = NEW.seq
             WHERE hall = NEW.hall AND epoch = NEW.epoch AND day < (NEW.body ->> 'day')::date
               AND state IN ('waiting', 'called', 'parked', 'no_show') AND seq < NEW.seq
            RETURNING day)
        INSERT INTO hallq.stale_days
        SELECT DISTINCT NEW.hall, NEW.epoch, day FROM gone ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    IF jsonb_typeof(t) IS DISTINCT FROM 'object' THEN
        RETURN NULL;
    END IF;
    INSERT INTO hallq.tickets AS k
        (hall, epoch, id, seq, day, label, queue, service, green, age_band, state, issued_ms,
         called_ms, last_called_ms, started_ms, finished_ms, park_total_ms, calls, counter,
         clerk, rating, transfers, extended, slot_ms, reason, reason_code)
    VALUES (NEW.hall, NEW.epoch, (t ->> 'id')::bigint, NEW.seq, (t ->> 'day')::date,
            t ->> 'label', t ->> 'queue', (t ->> 'service')::integer,
            coalesce(t ->> 'lane', 'normal') = 'green', t ->> 'age_band', t ->> 'state',
            (t ->> 'issued_ms')::bigint, (t ->> 'called_ms')::bigint,
            (t ->> 'last_called_ms')::bigint, (t ->> 'started_ms')::bigint,
            (t ->> 'finished_ms')::bigint, coalesce((t ->> 'park_total_ms')::bigint, 0),
            coalesce((t ->> 'calls')::integer, 0), (t ->> 'counter')::integer, t ->> 'clerk',
            (t ->> 'rating')::integer, coalesce((t ->> 'transfers')::integer, 0),
            coalesce((t ->> 'extended')::boolean, false), (t ->> 'slot_ms')::bigint,
            t ->> 'reason', t ->> 'reason_code')
    ON CONFLICT (hall, epoch, id) DO UPDATE SET
        seq = excluded.seq, queue = excluded.queue, service = excluded.service,
        green = excluded.green, age_band = excluded.age_band, state = excluded.state,
        called_ms = excluded.called_ms, last_called_ms = excluded.last_called_ms,
        started_ms = excluded.started_ms, finished_ms = excluded.finished_ms,
        park_total_ms = excluded.park_total_ms, calls = excluded.calls,
        counter = excluded.counter, clerk = excluded.clerk, rating = excluded.rating,
        transfers = excluded.transfers, extended = excluded.extended, slot_ms = excluded.slot_ms,
        reason = excluded.reason, reason_code = excluded.reason_code
    -- Events may arrive out of order within a batch's retries: the newest one wins.
    WHERE k.seq < excluded.seq;
    INSERT INTO hallq.stale_days VALUES (NEW.hall, NEW.epoch, (t ->> 'day')::date)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- As in migration 2, with the two columns (a table's row type ends with the columns added).
CREATE OR REPLACE FUNCTION hallq.hall_tickets(p_hall text, p_from date, p_to date)
RETURNS SETOF hallq.tickets LANGUAGE plpgsql STABLE AS $$
DECLARE
    cur    text;
    forked boolean;
BEGIN
    SELECT h.epoch, e.parent_epoch IS NOT NULL INTO cur, forked
      FROM hallq.halls h JOIN hallq.epochs e ON e.hall = h.id AND e.epoch = h.epoch
     WHERE h.id = p_hall;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF NOT forked THEN
        RETURN QUERY SELECT * FROM hallq.tickets t
                      WHERE t.hall = p_hall AND t.epoch = cur AND t.day BETWEEN p_from AND p_to;
        RETURN;
    END IF;
    RETURN QUERY
    WITH RECURSIVE line AS (
        SELECT e.epoch, e.parent_epoch, e.fork_seq, NULL::bigint AS upto
          FROM hallq.epochs e WHERE e.hall = p_hall AND e.epoch = cur
        UNION ALL
        SELECT p.epoch, p.parent_epoch, p.fork_seq, l.fork_seq
          FROM line l JOIN hallq.epochs p ON p.hall = p_hall AND p.epoch = l.parent_epoch
    ), ev AS (
        SELECT e.seq, e.type, e.body
          FROM hallq.events e JOIN line l ON e.epoch = l.epoch
         WHERE e.hall = p_hall AND e.seq > l.fork_seq AND (l.upto IS NULL OR e.seq <= l.upto)
    ), newest AS (
        SELECT DISTINCT ON ((ev.body -> 'ticket' ->> 'id')::bigint) ev.seq, ev.body -> 'ticket' AS t
          FROM ev WHERE jsonb_typeof(ev.body -> 'ticket') = 'object'
         ORDER BY (ev.body -> 'ticket' ->> 'id')::bigint, ev.seq DESC
    ), days AS (
        SELECT ev.seq, (ev.body ->> 'day')::date AS day FROM ev WHERE ev.type = 'day'
    )
    SELECT p_hall, cur, (n.t ->> 'id')::bigint, n.seq, (n.t ->> 'day')::date, n.t ->> 'label',
           n.t ->> 'queue', (n.t ->> 'service')::integer,
           coalesce(n.t ->> 'lane', 'normal') = 'green', n.t ->> 'age_band',
           CASE WHEN n.t ->> 'state' IN ('waiting', 'called', 'parked', 'no_show')
                     AND EXISTS (SELECT 1 FROM days d
                                  WHERE d.seq > n.seq AND d.day > (n.t ->> 'day')::date)
                THEN 'expired' ELSE n.t ->> 'state' END,
           (n.t ->> 'issued_ms')::bigint, (n.t ->> 'called_ms')::bigint,
           (n.t ->> 'last_called_ms')::bigint, (n.t ->> 'started_ms')::bigint,
           (n.t ->> 'finished_ms')::bigint, coalesce((n.t ->> 'park_total_ms')::bigint, 0),
           coalesce((n.t ->> 'calls')::integer, 0), (n.t ->> 'counter')::integer,
           n.t ->> 'clerk', (n.t ->> 'rating')::integer,
           coalesce((n.t ->> 'transfers')::integer, 0),
           coalesce((n.t ->> 'extended')::boolean, false), (n.t ->> 'slot_ms')::bigint,
           n.t ->> 'reason', n.t ->> 'reason_code'
      FROM newest n
     WHERE (n.t ->> 'day')::date BETWEEN p_from AND p_to;
END $$;
