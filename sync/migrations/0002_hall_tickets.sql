-- The city store's migration 2: the tickets of a hall as its own database holds them.
--
-- A hall restored from an old backup writes a new epoch that descends from the old one: up to
-- fork_seq both share the same events, and after it only the new epoch is the hall's history
-- (the old epoch's later events are a history the hall no longer has). hallq.tickets keeps
-- each epoch's own tickets (a restored epoch's start with the first event after its fork), so
-- the hall's tickets are those of the line of epochs from its present one back to the first:
-- each epoch's events after its own fork and up to the fork of the epoch that descends from
-- it, read as one history, each ticket as its newest event left it, and the tickets still
-- open when a later business day began expired (as apply_event does within an epoch). A hall
-- of one epoch (nearly all) reads its tickets from hallq.tickets as they are.
CREATE FUNCTION hallq.hall_tickets(p_hall text, p_from date, p_to date)
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
           coalesce((n.t ->> 'extended')::boolean, false), (n.t ->> 'slot_ms')::bigint
      FROM newest n
     WHERE (n.t ->> 'day')::date BETWEEN p_from AND p_to;
END $$;

-- The configurations each hall ran with: hallqd records one in its database each time it
-- starts with a configuration unlike the last (lib/hallq/config_record.h), and a hall's own
-- statistics count each ticket by the one in force when it was issued (its instant items,
-- handling target, time zone). hallq-sync ships them, keyed by their id in the hall's
-- database, so the city's statistics count the same way. A restored database holds the
-- records of its backup too, so an epoch's records are all its tickets need.
CREATE TABLE hallq.configs (
    hall     text   NOT NULL,
    epoch    text   NOT NULL,
    id       bigint NOT NULL,
    since_ms bigint NOT NULL,
    day      date   NOT NULL,
    body     text   NOT NULL,
    PRIMARY KEY (hall, epoch, id)
);

-- The daemon's 10-minute metric log (hallqctl stats metric), as the hall's database keeps it:
-- each entry's id there, and what it logged. A restored database holds its backup's entries
-- too, so an epoch's entries are the whole log its hall shows.
CREATE TABLE hallq.metrics (
    hall      text    NOT NULL,
    epoch     text    NOT NULL,
    id        bigint  NOT NULL,
    ts_ms     bigint  NOT NULL,
    day       date    NOT NULL,
    scope     text    NOT NULL,
    key       text    NOT NULL,
    count     bigint  NOT NULL,
    avg_ms    bigint  NOT NULL,
    within    bigint  NOT NULL,
    max_ms    bigint  NOT NULL,
    target_ms bigint  NOT NULL,
    above     boolean NOT NULL,
    PRIMARY KEY (hall, epoch, id)
);
