-- A small fixed history for checking the statistics by hand: 20 tickets over two business
-- days of the default hall (Asia/Shanghai), and a few metric log entries. Times are written
-- as 09:00 local of the day plus whole minutes, so every figure in tests/stats/export.sh can be
-- worked out on paper. Load into a database hallqd created (the schema is the daemon's).
--
-- 2024-03-04 (Monday) 09:00 +08:00 = 1709514000000; 2024-03-05 09:00 = 1709600400000.
-- Catalog: services 1-13 (queues A-D) are instant items, 14-20 (E-G) are not.

CREATE TEMP TABLE t(n INTEGER, day TEXT, prefix TEXT, number INTEGER, queue TEXT, service INTEGER,
                    green INTEGER, state TEXT, issued INTEGER, called INTEGER, last_called INTEGER,
                    started INTEGER, finished INTEGER, park INTEGER, calls INTEGER, counter INTEGER,
                    clerk TEXT, rating INTEGER, transfers INTEGER);
-- minutes after 09:00       n  day        pfx no q   svc g  state       iss call last start fin park calls ctr clerk  rating tr
INSERT INTO t VALUES
    ( 1, '2024-03-04', 'A', 1, 'A',  1, 0, 'finished',   0,   2,   2,    3,   9,  0, 1, 1, 'wang',  5, 0),
    -- start never pressed: handling runs from the (last) call
    ( 2, '2024-03-04', 'A', 2, 'A',  3, 0, 'finished',   1,   5,   5, NULL,  17,  0, 1, 2, 'li',    4, 0),
    ( 3, '2024-03-04', 'A', 3, 'A',  2, 1, 'finished',   3,   4,   4,    5,  13,  0, 1, 3, 'zhang', 5, 0),
    ( 4, '2024-03-04', 'B', 1, 'B',  6, 0, 'finished',   2,   9,   9,   10,  14,  0, 1, 1, 'wang', NULL, 0),
    -- parked 10 minutes (missing document): handling 33 - 15 - 10 = 8
    ( 5, '2024-03-04', 'B', 2, 'B',  7, 1, 'finished',   4,  14,  14,   15,  33, 10, 1, 1, 'wang',  3, 0),
    ( 6, '2024-03-04', 'C', 1, 'C',  9, 0, 'no_show',    5,  13,  15, NULL, NULL, 0, 2, 3, 'zhang', NULL, 0),
    ( 7, '2024-03-04', 'C', 2, 'C', 10, 0, 'finished',   6,  17,  17,   18,  30,  0, 1, 2, 'li',    2, 0),
    -- queue E: not an instant item
    ( 8, '2024-03-04', 'E', 1, 'E', 14, 0, 'finished',   7,  13,  13,   14,  34,  0, 1, 3, 'zhang', 5, 0),
    ( 9, '2024-03-04', 'E', 2, 'E', 15, 1, 'finished',   8,  30,  30,   31,  46,  0, 1, 2, 'li',   NULL, 0),
    -- D001 transferred into queue A: it counts under A, where it ended
    (10, '2024-03-04', 'D', 1, 'A', 13, 0, 'finished',   9,  34,  34,   35,  40,  0, 1, 3, 'zhang', 4, 1),
    -- never called before the day ended
    (11, '2024-03-04', 'A', 4, 'A', NULL, 0, 'expired', 20, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 0),
    (12, '2024-03-04', 'G', 1, 'G', 19, 0, 'expired',   25, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 0),
    (13, '2024-03-05', 'A', 1, 'A',  1, 0, 'finished',   0,   1,   1,    2,  14,  0, 1, 1, 'zhao',  5, 0),
    (14, '2024-03-05', 'A', 2, 'A',  4, 1, 'finished',   2,   3,   3,    4,  10,  0, 1, 2, 'li',    5, 0),
    (15, '2024-03-05', 'B', 1, 'B',  8, 0, 'finished',   3,  10,  10,   11,  20,  0, 1, 2, 'li',   NULL, 0),
    -- exactly 10 minutes of handling: within the target
    (16, '2024-03-05', 'C', 1, 'C', 11, 0, 'finished',   4,  14,  14, NULL,  24,  0, 1, 1, 'zhao',  1, 0),
    (17, '2024-03-05', 'F', 1, 'F', 16, 0, 'finished',   6,  20,  20,   21,  46,  0, 1, 2, 'li',   NULL, 0),
    (18, '2024-03-05', 'A', 3, 'A',  5, 0, 'no_show',   30,  46,  48, NULL, NULL, 0, 2, 2, 'li',   NULL, 0),
    -- issued after 10:00
    (19, '2024-03-05', 'D', 1, 'D', 13, 1, 'finished',  60,  61,  61,   62,  69,  0, 1, 1, 'zhao',  4, 0),
    (20, '2024-03-05', 'A', 4, 'A',  1, 0, 'finished',  65,  69,  69,   70,  82,  0, 1, 1, 'zhao', NULL, 0);

INSERT INTO tickets(id, day, prefix, number, label, queue, service, green, age_band, state,
                    issued_ms, called_ms, last_called_ms, started_ms, finished_ms, parked_ms,
                    park_total_ms, calls, counter, clerk, reason, rating, transfers)
SELECT 1000 + n, day, prefix, number, printf('%s%03d', prefix, number), queue, service, green,
       CASE WHEN green THEN '70-79' END, state,
       base + issued * 60000,
       CASE WHEN called IS NOT NULL THEN base + called * 60000 END,
       CASE WHEN last_called IS NOT NULL THEN base + last_called * 60000 END,
       CASE WHEN started IS NOT NULL THEN base + started * 60000 END,
       CASE WHEN finished IS NOT NULL THEN base + finished * 60000 END,
       CASE WHEN park > 0 THEN base + (started + 5) * 60000 END,
       park * 60000, calls, counter, clerk,
       CASE WHEN called IS NOT NULL THEN CASE WHEN green THEN 'green lane' ELSE 'oldest' END END,
       rating, transfers
FROM (SELECT t.*, CASE day WHEN '2024-03-04' THEN 1709514000000 ELSE 1709600400000 END AS base
      FROM t);

-- F001 (ticket 17) and A004 (ticket 20) were issued in an extended-hours period (延时服务):
-- the statistics count the flag as the daemon kept it.
UPDATE tickets SET extended = 1 WHERE id IN (1017, 1020);

-- The metric log of 2024-03-04 as the daemon writes it every 10 minutes: the running mean of
-- the instant items finished so far, for the hall, each queue and each window. At 09:20 window
-- 2 is above the 10-minute target (A002: 12 minutes).
INSERT INTO metrics(ts_ms, day, scope, key, count, avg_ms, within, max_ms, target_ms, above) VALUES
    (1709514600000, '2024-03-04', 'hall',    '',  1, 360000, 1, 360000, 600000, 0),
    (1709514600000, '2024-03-04', 'queue',   'A', 1, 360000, 1, 360000, 600000, 0),
    (1709514600000, '2024-03-04', 'counter', '1', 1, 360000, 1, 360000, 600000, 0),
    (1709514600000, '2024-03-04', 'counter', '2', 0,      0, 0,      0, 600000, 0),
    (1709515200000, '2024-03-04', 'hall',    '',  4, 450000, 3, 720000, 600000, 0),
    (1709515200000, '2024-03-04', 'queue',   'A', 3, 520000, 2, 720000, 600000, 0),
    (1709515200000, '2024-03-04', 'counter', '1', 2, 300000, 2, 360000, 600000, 0),
    (1709515200000, '2024-03-04', 'counter', '2', 1, 720000, 0, 720000, 600000, 1),
    (1709601000000, '2024-03-05', 'hall',    '',  1, 600000, 1, 600000, 600000, 0);

-- Appointments (预约) of the two days, worked by hand in tests/stats/test_bookings.py. A booking
-- checked in inside its window got a ticket of the appointment lane: that ticket carries its
-- slot's start (slot_ms); a late one got a walk-in ticket (no slot).
--   day 1: A001 (ticket 1) booked 09:00, called 09:02; B001 (4) booked 09:00, called 09:09;
--          C002 (7) came late for 09:00; an A booking of 09:30 was a no-show; one of 10:00
--          was cancelled.
--   day 2: A001 (13) booked 09:00, called 09:01; A002 (14, green) 09:00, called 09:03;
--          D001 (19) 10:00, called 10:01; F001 (17) 09:00, called 09:20; a B booking of
--          09:30 was a no-show; one A booking of 11:00 was still waiting.
-- Each booking names the service of the ticket it got (the no-shows and the waiting one none).
UPDATE tickets SET slot_ms = 1709514000000 WHERE id IN (1001, 1004);
UPDATE tickets SET slot_ms = 1709600400000 WHERE id IN (1013, 1014, 1017);
UPDATE tickets SET slot_ms = 1709604000000 WHERE id = 1019;
INSERT INTO bookings(id, code, queue, service, day, slot, person, state, booked_ms, changed_ms, ticket)
VALUES
    ( 1, 'AC3D4E', 'A',    1, '2024-03-04', 540, '$5$s$p1', 'checked_in', 1709424000000, 1709513900000, 1001),
    ( 2, 'AC3D4F', 'B',    6, '2024-03-04', 540, '$5$s$p2', 'checked_in', 1709424000000, 1709514100000, 1004),
    ( 3, 'AC3D4H', 'C',   10, '2024-03-04', 540, '$5$s$p3', 'late',       1709424000000, 1709514360000, 1007),
    ( 4, 'AC3D4J', 'A', NULL, '2024-03-04', 570, '$5$s$p4', 'no_show',    1709424000000, 1709516700000, NULL),
    ( 5, 'AC3D4K', 'A',    1, '2024-03-04', 600, '$5$s$p5', 'cancelled',  1709424000000, 1709500000000, NULL),
    ( 6, 'AC3D4M', 'A',    1, '2024-03-05', 540, '$5$s$p1', 'checked_in', 1709510400000, 1709600300000, 1013),
    ( 7, 'AC3D4N', 'A',    4, '2024-03-05', 540, '$5$s$p6', 'checked_in', 1709510400000, 1709600500000, 1014),
    ( 8, 'AC3D4P', 'D',   13, '2024-03-05', 600, '$5$s$p7', 'checked_in', 1709510400000, 1709603800000, 1019),
    ( 9, 'AC3D4Q', 'F',   16, '2024-03-05', 540, '$5$s$p8', 'checked_in', 1709510400000, 1709600700000, 1017),
    (10, 'AC3D4R', 'B', NULL, '2024-03-05', 570, '$5$s$p9', 'no_show',    1709510400000, 1709603100000, NULL),
    (11, 'AC3D4T', 'A', NULL, '2024-03-05', 660, '$5$s$pa', 'booked',     1709510400000, NULL,          NULL);
