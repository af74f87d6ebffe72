-- The city's central store of every hall's event log (schema hallq), migration 1.
-- Every key starts with the hall id, so that a store that outgrows one server can be sharded
-- by hall (Citus distribution column, or one hall set per server) without a rewrite.

-- Halls. A village service point hands cases up to its town hall: `parent` names that town
-- (not a foreign key, so a village may ship before its town does).
CREATE TABLE hallq.halls (
    id     text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    name   text NOT NULL CHECK (name <> ''),
    level  text NOT NULL CHECK (level IN ('town', 'village')),
    parent text CHECK (parent <> id),
    epoch  text NOT NULL,                 -- the history the hall writes now
    CHECK ((level = 'village') = (parent IS NOT NULL))
);

-- The histories of each hall. A hall's database makes an epoch when it is created; a restored
-- backup or a recovered file starts a new one, naming the epoch it came from (`parent_epoch`)
-- and the last seq both share (`fork_seq`): events of the new epoch up to it repeat the
-- parent's.
CREATE TABLE hallq.epochs (
    hall         text NOT NULL REFERENCES hallq.halls (id),
    epoch        text NOT NULL CHECK (epoch ~ '^[0-9a-f]{32}$'),
    parent_epoch text,
    fork_seq     bigint NOT NULL DEFAULT 0 CHECK (fork_seq >= 0),
    first_seen   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hall, epoch)
);

-- The events, as the hall's log has them, partitioned by month of ts_ms (UTC). PostgreSQL
-- requires the partition column in every unique key: an event's ts_ms never changes, so
-- (hall, epoch, seq, ts_ms) names one event as (hall, epoch, seq) does.
CREATE TABLE hallq.events (
    hall  text   NOT NULL,
    epoch text   NOT NULL,
    seq   bigint NOT NULL CHECK (seq > 0),
    ts_ms bigint NOT NULL,
    type  text   NOT NULL,
    body  jsonb  NOT NULL,
    PRIMARY KEY (hall, epoch, seq, ts_ms)
) PARTITION BY RANGE (ts_ms);

-- Creates the monthly partitions that hold [from_ms, to_ms]; returns how many it made.
CREATE FUNCTION hallq.ensure_months(from_ms bigint, to_ms bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    m    timestamptz := date_trunc('month', to_timestamp(from_ms / 1000.0) AT TIME ZONE 'UTC')
                        AT TIME ZONE 'UTC';
    made integer := 0;
    name text;
BEGIN
    -- Shippers of several halls may meet the same new month at once.
    PERFORM pg_advisory_xact_lock(hashtext('hallq.ensure_months'));
    WHILE extract(epoch FROM m) * 1000 <= to_ms LOOP
        name := 'events_' || to_char(m AT TIME ZONE 'UTC', 'YYYYMM');
        IF to_regclass('hallq.' || name) IS NULL THEN
            EXECUTE format('CREATE TABLE hallq.%I PARTITION OF hallq.events'
                           ' FOR VALUES FROM (%s) TO (%s)', name,
                           (extract(epoch FROM m) * 1000)::bigint,
                           (extract(epoch FROM m + interval '1 month') * 1000)::bigint);
            made := made + 1;
        END IF;
        m := m + interval '1 month';
    END LOOP;
    RETURN made;
END $$;

-- The tickets, each as the newest event about it left it (every ticket event carries the
-- whole ticket object).
CREATE TABLE hallq.tickets (
    hall          text    NOT NULL,
    epoch         text    NOT NULL,
    id            bigint  NOT NULL,
    seq           bigint  NOT NULL,      -- the event that wrote this row
    day           date    NOT NULL,
    label         text    NOT NULL,
    queue         text    NOT NULL,
    service       integer,
    green         boolean NOT NULL,
    age_band      text,
    state         text    NOT NULL,
    issued_ms     bigint  NOT NULL,
    called_ms     bigint,
    last_called_ms bigint,
    started_ms    bigint,
    finished_ms   bigint,
    park_total_ms bigint  NOT NULL DEFAULT 0,
    calls         integer NOT NULL DEFAULT 0,
    counter       integer,
    clerk         text,
    rating        integer,
    transfers     integer NOT NULL DEFAULT 0,
    extended      boolean NOT NULL DEFAULT false,
    slot_ms       bigint,
    PRIMARY KEY (hall, epoch, id)
);
CREATE INDEX tickets_day ON hallq.tickets (hall, day);

-- The (hall, epoch, day)s whose roll-ups are older than their tickets.
CREATE TABLE hallq.stale_days (
    hall  text NOT NULL,
    epoch text NOT NULL,
    day   date NOT NULL,
    PRIMARY KEY (hall, epoch, day)
);

CREATE FUNCTION hallq.apply_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
         clerk, rating, transfers, extended, slot_ms)
    VALUES (NEW.hall, NEW.epoch, (t ->> 'id')::bigint, NEW.seq, (t ->> 'day')::date,
            t ->> 'label', t ->> 'queue', (t ->> 'service')::integer,
            coalesce(t ->> 'lane', 'normal') = 'green', t ->> 'age_band', t ->> 'state',
            (t ->> 'issued_ms')::bigint, (t ->> 'called_ms')::bigint,
            (t ->> 'last_called_ms')::bigint, (t ->> 'started_ms')::bigint,
            (t ->> 'finished_ms')::bigint, coalesce((t ->> 'park_total_ms')::bigint, 0),
            coalesce((t ->> 'calls')::integer, 0), (t ->> 'counter')::integer, t ->> 'clerk',
            (t ->> 'rating')::integer, coalesce((t ->> 'transfers')::integer, 0),
            coalesce((t ->> 'extended')::boolean, false), (t ->> 'slot_ms')::bigint)
    ON CONFLICT (hall, epoch, id) DO UPDATE SET
        seq = excluded.seq, queue = excluded.queue, service = excluded.service,
        green = excluded.green, age_band = excluded.age_band, state = excluded.state,
        called_ms = excluded.called_ms, last_called_ms = excluded.last_called_ms,
        started_ms = excluded.started_ms, finished_ms = excluded.finished_ms,
        park_total_ms = excluded.park_total_ms, calls = excluded.calls,
        counter = excluded.counter, clerk = excluded.clerk, rating = excluded.rating,
        transfers = excluded.transfers, extended = excluded.extended, slot_ms = excluded.slot_ms
    -- Events may arrive out of order within a batch's retries: the newest one wins.
    WHERE k.seq < excluded.seq;
    INSERT INTO hallq.stale_days VALUES (NEW.hall, NEW.epoch, (t ->> 'day')::date)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Fires for the rows an INSERT ... ON CONFLICT DO NOTHING really inserted: a repeated event
-- changes nothing.
CREATE TRIGGER events_tickets AFTER INSERT ON hallq.events
    FOR EACH ROW EXECUTE FUNCTION hallq.apply_event();

-- Daily roll-ups, per hall and queue and per hall and counter, for the city's reports. Sums
-- and counts (never averages), so that days, halls, towns add up. A wait is called_ms -
-- issued_ms; handling is finished_ms - (started_ms or last_called_ms) - park_total_ms.
CREATE TABLE hallq.daily_queues (
    hall           text    NOT NULL,
    epoch          text    NOT NULL,
    day            date    NOT NULL,
    queue          text    NOT NULL,
    issued         integer NOT NULL,
    called         integer NOT NULL,   -- with a first call: these have a wait
    wait_ms        bigint  NOT NULL,
    wait_max_ms    bigint  NOT NULL,
    within_10min   integer NOT NULL,   -- called within 10 minutes of issue
    finished       integer NOT NULL,
    no_show        integer NOT NULL,
    expired        integer NOT NULL,
    green          integer NOT NULL,
    green_called   integer NOT NULL,
    green_wait_ms  bigint  NOT NULL,
    rated          integer NOT NULL,
    rating_sum     integer NOT NULL,
    PRIMARY KEY (hall, epoch, day, queue)
);

CREATE TABLE hallq.daily_counters (
    hall           text    NOT NULL,
    epoch          text    NOT NULL,
    day            date    NOT NULL,
    counter        integer NOT NULL,
    finished       integer NOT NULL,
    handling_ms    bigint  NOT NULL,
    handling_max_ms bigint NOT NULL,
    within_10min   integer NOT NULL,   -- handled within 10 minutes
    rated          integer NOT NULL,
    rating_sum     integer NOT NULL,
    PRIMARY KEY (hall, epoch, day, counter)
);

-- Recomputes the roll-ups of every stale day (a day's tickets, read by tickets_day); the
-- shipper calls it in the transaction of each batch. Returns the number of days.
CREATE FUNCTION hallq.refresh_rollups() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS hallq_days (hall text, epoch text, day date)
        ON COMMIT DROP;
    TRUNCATE hallq_days;
    WITH d AS (DELETE FROM hallq.stale_days RETURNING hall, epoch, day)
    INSERT INTO hallq_days SELECT * FROM d;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN 0;
    END IF;
    DELETE FROM hallq.daily_queues q USING hallq_days d
     WHERE q.hall = d.hall AND q.epoch = d.epoch AND q.day = d.day;
    DELETE FROM hallq.daily_counters c USING hallq_days d
     WHERE c.hall = d.hall AND c.epoch = d.epoch AND c.day = d.day;
    INSERT INTO hallq.daily_queues
    SELECT t.hall, t.epoch, t.day, t.queue, count(*),
           count(t.called_ms),
           coalesce(sum(t.called_ms - t.issued_ms), 0),
           coalesce(max(t.called_ms - t.issued_ms), 0),
           count(*) FILTER (WHERE t.called_ms - t.issued_ms <= 600000),
           count(*) FILTER (WHERE t.state = 'finished'),
           count(*) FILTER (WHERE t.state = 'no_show'),
           count(*) FILTER (WHERE t.state = 'expired'),
           count(*) FILTER (WHERE t.green),
           count(t.called_ms) FILTER (WHERE t.green),
           coalesce(sum(t.called_ms - t.issued_ms) FILTER (WHERE t.green), 0),
           count(t.rating),
           coalesce(sum(t.rating), 0)
      FROM hallq.tickets t JOIN hallq_days d USING (hall, epoch, day)
     GROUP BY t.hall, t.epoch, t.day, t.queue;
    INSERT INTO hallq.daily_counters
    SELECT hall, epoch, day, counter, count(*), coalesce(sum(h), 0), coalesce(max(h), 0),
           count(*) FILTER (WHERE h <= 600000), count(rating), coalesce(sum(rating), 0)
      FROM (SELECT t.hall, t.epoch, t.day, t.counter, t.rating,
                   t.finished_ms - coalesce(t.started_ms, t.last_called_ms) - t.park_total_ms
                   AS h
              FROM hallq.tickets t JOIN hallq_days d USING (hall, epoch, day)
             WHERE t.state = 'finished' AND t.counter IS NOT NULL) f
     GROUP BY hall, epoch, day, counter;
    RETURN n;
END $$;

-- The highest seq up to which a hall's epoch is here without a gap: where its shipper goes
-- on. Advanced from the events themselves, in the transaction that brought them.
ALTER TABLE hallq.epochs ADD COLUMN contiguous_seq bigint NOT NULL DEFAULT 0;

CREATE FUNCTION hallq.advance(p_hall text, p_epoch text) RETURNS bigint
LANGUAGE sql AS $$
    UPDATE hallq.epochs e SET contiguous_seq = coalesce(
        (SELECT max(seq)
           FROM (SELECT seq, seq - row_number() OVER (ORDER BY seq) AS island
                   FROM hallq.events
                  WHERE hall = p_hall AND epoch = p_epoch AND seq > e.contiguous_seq) s
          WHERE island = e.contiguous_seq),
        e.contiguous_seq)
     WHERE hall = p_hall AND epoch = p_epoch
    RETURNING contiguous_seq;
$$;

-- Makes a hall and its epoch known, or refuses: a hall id that comes with an epoch this
-- store does not know, and that does not descend from one it knows, is another hall's
-- database under the same id (or a copy made outside hallqctl) and would mix two histories.
CREATE FUNCTION hallq.register(p_hall text, p_epoch text, p_parent_epoch text,
                               p_fork_seq bigint, p_name text, p_level text, p_parent text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    cur   text;
    known boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('hallq.register:' || p_hall));
    -- An epoch is one database's: shipped under a second hall id it would count twice.
    SELECT hall INTO cur FROM hallq.epochs WHERE epoch = p_epoch AND hall <> p_hall;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'HQ409',
            MESSAGE = format('epoch %s is hall %s''s here: one hall''s database shipped under'
                             ' two ids (%s and %s) would count twice', p_epoch, cur, cur,
                             p_hall);
    END IF;
    SELECT epoch INTO cur FROM hallq.halls WHERE id = p_hall;
    IF NOT FOUND THEN
        INSERT INTO hallq.halls VALUES (p_hall, p_name, p_level, p_parent, p_epoch);
        INSERT INTO hallq.epochs (hall, epoch, parent_epoch, fork_seq)
        VALUES (p_hall, p_epoch, p_parent_epoch, coalesce(p_fork_seq, 0));
    ELSE
        SELECT true INTO known FROM hallq.epochs WHERE hall = p_hall AND epoch = p_epoch;
        IF known IS NULL THEN
            IF p_parent_epoch IS NULL OR NOT EXISTS (
                SELECT 1 FROM hallq.epochs WHERE hall = p_hall AND epoch = p_parent_epoch) THEN
                RAISE EXCEPTION USING ERRCODE = 'HQ409',
                    MESSAGE = format('hall %s is here with epoch %s; this database has epoch %s,'
                                     ' which descends from none of that hall''s: another hall'
                                     ' under the same id, or a copy not made by hallqctl'
                                     ' restore', p_hall, cur, p_epoch);
            END IF;
            INSERT INTO hallq.epochs (hall, epoch, parent_epoch, fork_seq)
            VALUES (p_hall, p_epoch, p_parent_epoch, coalesce(p_fork_seq, 0));
        END IF;
        UPDATE hallq.halls SET name = p_name, level = p_level, parent = p_parent,
                               epoch = CASE WHEN known IS NULL THEN p_epoch ELSE epoch END
         WHERE id = p_hall;
    END IF;
    RETURN (SELECT contiguous_seq FROM hallq.epochs WHERE hall = p_hall AND epoch = p_epoch);
END $$;
