/* Loading the hall's state at start (store_load): the business day the store was left in, its
 * tickets and the older open ones, the counters and their tablets, the streaks, the day's
 * latest calls and the alerts raised (read back from the event log), the salt of person
 * hashes and the bookings. */
#include "store.h"

#include "store_int.h"

#include "hq_log.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void s_col_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    hq_strlcpy(out, s ? (const char *)s : "", n);
}

/* The hall's salt of person hashes: made once, on the first load, and kept in meta (a backup
 * carries it, so a restored hall knows its bookings' persons). */
static int s_load_salt(store_t *self, hall_t *hall)
{
    sqlite3_stmt *st;
    char salt[BOOKING_SALT_LEN + 1] = "";
    if (sqlite3_prepare_v2(self->db, "SELECT value FROM meta WHERE key = 'booking_salt'", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s_col_text(st, 0, salt, sizeof salt);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (!salt[0]) {
        if (booking_salt_new(salt) != 0 ||
            sqlite3_prepare_v2(self->db, "INSERT INTO meta(key, value) VALUES('booking_salt', ?)",
                               -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_text(st, 1, salt, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    hall_set_booking_salt(hall, salt);
    return 0;
}

/* Bookings of the business day on, and earlier ones still booked (the daemon was down when
 * their check-in closed: the start marks them no-shows); the rest are history, which the
 * statistics read. */
static int s_load_bookings(store_t *self, hall_t *hall, const char *today)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            self->db,
            "SELECT id, code, queue, day, slot, person, state, booked_ms,"
            " changed_ms, ticket, service, token FROM bookings WHERE day >= ?1 OR state = 'booked'"
            " ORDER BY id",
            -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_booking_t b;
        char buf[16];
        memset(&b, 0, sizeof b);
        b.id = sqlite3_column_int64(st, 0);
        s_col_text(st, 1, b.code, sizeof b.code);
        s_col_text(st, 2, buf, sizeof buf);
        b.queue = buf[0];
        s_col_text(st, 3, b.day, sizeof b.day);
        b.slot = sqlite3_column_int(st, 4);
        s_col_text(st, 5, b.person, sizeof b.person);
        s_col_text(st, 6, buf, sizeof buf);
        int state = booking_state_parse(buf);
        if (state < 0 || !b.queue) {
            hq_error("%s: booking row %lld is damaged (state '%s'); skipped", self->path,
                     (long long)b.id, buf);
            continue;
        }
        b.state = (bk_state_t)state;
        b.booked_ms = sqlite3_column_int64(st, 7);
        b.changed_ms = sqlite3_column_int64(st, 8);
        b.ticket = sqlite3_column_int64(st, 9);
        b.service = sqlite3_column_int(st, 10);
        s_col_text(st, 11, b.token, sizeof b.token);
        if (hall_load_booking(hall, &b) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The business day the store was left in: the later of the one its last rollover recorded
 * and the latest day a ticket was issued on (for a database written before that record); today
 * for a new store. A clock that says an earlier day than the stored one (it stepped back, or
 * was wrong at boot) does not take the hall back: the stored day is kept, and said so. */
static int s_stored_day(store_t *self, const char *today, char *out, size_t n)
{
    sqlite3_stmt *st;
    const char *sql = "SELECT max(d) FROM (SELECT value AS d FROM meta WHERE key = 'day'"
                      " UNION ALL SELECT max(day) FROM tickets)";
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    const char *day = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (day && strcmp(day, today) > 0)
        hq_warn("the clock says %s, before the business day %s of %s: the day stays %s", today, day,
                self->path, day);
    hq_strlcpy(out, day ? day : today, n);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Whether a "day" event began a new business day: its day is not the one before it (or it does
 * not say which they are). */
static int s_day_began(const hq_event_t *ev)
{
    const char *day = json_string_value(json_object_get(ev->body, "day"));
    const char *previous = json_string_value(json_object_get(ev->body, "previous_day"));
    return !day || !previous || strcmp(day, previous) != 0;
}

/* Hands the event log's events of `types` (an SQL list) and its "day" events to fn, newest
 * first, until fn returns 1; `began` says a "day" event began a new business day. -1 when a
 * row cannot be read (damaged, or out of memory: either way what fn saw cannot be trusted). */
typedef int s_back_fn(const hq_event_t *ev, int began, void *arg);
static int s_events_back(store_t *self, const char *types, s_back_fn *fn, void *arg)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT type, body FROM events WHERE type IN (%s, 'day') ORDER BY seq DESC", types);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc, failed = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const void *body = sqlite3_column_blob(st, 1);
        hq_event_t ev;
        if (hq_event_decode(type, body, (size_t)sqlite3_column_bytes(st, 1), &ev) != HQ_OK) {
            failed = 1;
            break;
        }
        int stop = fn(&ev, ev.type == HQ_EV_DAY && s_day_began(&ev), arg);
        hq_event_clear(&ev);
        if (stop)
            break;
    }
    sqlite3_finalize(st);
    return failed || (rc != SQLITE_ROW && rc != SQLITE_DONE) ? -1 : 0;
}

/* The day's latest calls and recalls, from the event log: newest first, back to the rollover
 * that began the day (the hall forgets them there too). */
typedef struct {
    hall_t *hall;
    int ncalls;
} s_calls_t;

static int s_load_call(const hq_event_t *ev, int began, void *arg)
{
    s_calls_t *c = arg;
    if (ev->type == HQ_EV_DAY)
        return began;
    if (ev->has_ticket) {
        hall_load_call(c->hall, ev->ticket.label, ev->ticket.counter, ev->ts_ms,
                       ev->type == HQ_EV_RECALLED, ev->ticket.green);
        c->ncalls++;
    }
    return c->ncalls >= HALL_RECENT_CALLS;
}

static int s_load_calls(store_t *self, hall_t *hall)
{
    s_calls_t c = {hall, 0};
    return s_events_back(self, "'called', 'recalled'", s_load_call, &c);
}

/* The alerts raised now, from the event log: each queue's and kind's latest queue_alert event
 * back to the rollover that began the day before (raised when that one raised it: a queue alert
 * of yesterday not cleared yet is cleared at the next alert tick, with its own event), and the
 * scopes of the latest 10-minute alert event back to the rollover that began today (which
 * clears it with its own event; one from before it said "cleared" lists the scopes above
 * then). A restart then neither raises an alert again nor forgets one. */
typedef struct {
    hall_t *hall;
    int seen[HQ_QUEUES_MAX][HALL_ALERT_KINDS]; /* a queue's and kind's latest event was read */
    int seen_metric; /* the latest 10-minute alert event was read, or today's rollover */
    int days;        /* rollovers read */
} s_alerts_t;

static int s_load_alert(const hq_event_t *ev, int began, void *arg)
{
    s_alerts_t *x = arg;
    if (ev->type == HQ_EV_DAY) {
        /* The 10-minute alert ends with the rollover; a queue alert clears at the first
         * alert tick after it, which a stop right after the rollover never reached: the
         * queue alerts are read back over the day before too, and cleared then. */
        x->seen_metric |= began;
        return began && ++x->days == 2;
    }
    if (ev->type == HQ_EV_ALERT) {
        const char *state = json_string_value(json_object_get(ev->body, "state"));
        json_t *above = json_object_get(ev->body, "above");
        for (size_t i = 0; !x->seen_metric && (!state || strcmp(state, "cleared") != 0) &&
                           i < json_array_size(above);
             i++) {
            const char *scope =
                json_string_value(json_object_get(json_array_get(above, i), "scope"));
            const char *key = json_string_value(json_object_get(json_array_get(above, i), "key"));
            if (scope && key)
                hall_load_metric_alert(x->hall, scope, key);
        }
        x->seen_metric = 1;
        return 0;
    }
    json_t *a = json_object_get(ev->body, "alert");
    const char *queue = json_string_value(json_object_get(a, "queue"));
    const char *kind = json_string_value(json_object_get(a, "kind"));
    const char *state = json_string_value(json_object_get(a, "state"));
    int k = kind && strcmp(kind, "wait") == 0       ? HALL_ALERT_WAIT
            : kind && strcmp(kind, "handling") == 0 ? HALL_ALERT_HANDLING
                                                    : -1;
    if (queue && queue[0] >= 'A' && queue[0] <= 'Z' && !queue[1] && k >= 0 && state &&
        !x->seen[queue[0] - 'A'][k]) {
        x->seen[queue[0] - 'A'][k] = 1;
        if (strcmp(state, "raised") == 0)
            hall_load_alert(x->hall, queue[0], (hall_alert_kind_t)k,
                            json_integer_value(json_object_get(a, "value_ms")));
    }
    return 0;
}

static int s_load_alerts(store_t *self, hall_t *hall)
{
    s_alerts_t x;
    memset(&x, 0, sizeof x);
    x.hall = hall;
    return s_events_back(self, "'queue_alert', 'alert'", s_load_alert, &x);
}

static int s_load(store_t *self, hall_t *hall, const char *today)
{
    char day[11];
    if (s_stored_day(self, today, day, sizeof day) != 0)
        return -1;
    hall_reset(hall, day);
    today = day;
    sqlite3_stmt *st;
#define S_TICKET_COLUMNS                                                                           \
    "id, day, prefix, number, label, queue, service, green, age_band, state, issued_ms,"           \
    " called_ms, last_called_ms, started_ms, finished_ms, parked_ms, park_total_ms, calls,"        \
    " counter, clerk, reason, rating, transfers, token, reason_code, device, extended, slot_ms"
    /* The day's tickets by the day's index, the older open ones by the open-ticket index
     * (named: the planner would otherwise scan the year for the second half of an OR). */
    const char *sql = "SELECT " S_TICKET_COLUMNS " FROM tickets WHERE day = ?1"
                      " UNION SELECT " S_TICKET_COLUMNS
                      " FROM tickets INDEXED BY tickets_open WHERE " STORE_SQL_OPEN " ORDER BY id";
#undef S_TICKET_COLUMNS
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hq_ticket_t t;
        memset(&t, 0, sizeof t);
        char buf[16];
        t.id = sqlite3_column_int64(st, 0);
        s_col_text(st, 1, t.day, sizeof t.day);
        s_col_text(st, 2, buf, sizeof buf);
        t.prefix = buf[0];
        t.number = sqlite3_column_int(st, 3);
        s_col_text(st, 4, t.label, sizeof t.label);
        s_col_text(st, 5, buf, sizeof buf);
        t.queue = buf[0];
        t.service = sqlite3_column_int(st, 6);
        t.green = sqlite3_column_int(st, 7);
        s_col_text(st, 8, t.age_band, sizeof t.age_band);
        s_col_text(st, 9, buf, sizeof buf);
        int state = hq_ticket_state_parse(buf);
        if (state < 0 || !t.prefix || !t.queue) {
            hq_error("%s: ticket row %lld is damaged (state '%s'); skipped", self->path,
                     (long long)t.id, buf);
            continue;
        }
        t.state = (hq_ticket_state_t)state;
        t.issued_ms = sqlite3_column_int64(st, 10);
        t.called_ms = sqlite3_column_int64(st, 11);
        t.last_called_ms = sqlite3_column_int64(st, 12);
        t.started_ms = sqlite3_column_int64(st, 13);
        t.finished_ms = sqlite3_column_int64(st, 14);
        t.parked_ms = sqlite3_column_int64(st, 15);
        t.park_total_ms = sqlite3_column_int64(st, 16);
        t.calls = sqlite3_column_int(st, 17);
        t.counter = sqlite3_column_int(st, 18);
        s_col_text(st, 19, t.clerk, sizeof t.clerk);
        s_col_text(st, 20, t.reason, sizeof t.reason);
        t.rating = sqlite3_column_int(st, 21);
        t.transfers = sqlite3_column_int(st, 22);
        s_col_text(st, 23, t.token, sizeof t.token);
        s_col_text(st, 24, buf, sizeof buf);
        int code = hq_reason_parse(buf);
        /* Rows of schema 2 kept only the English words: the code is read back from them. */
        t.reason_code = code > 0 ? (hq_reason_t)code : hq_reason_of_english(t.reason);
        s_col_text(st, 25, t.device, sizeof t.device);
        t.extended = sqlite3_column_int(st, 26);
        t.slot_ms = sqlite3_column_int64(st, 27);
        if (hall_load_ticket(hall, &t) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (sqlite3_prepare_v2(
            self->db, "SELECT id, clerk, paused, pause_reason, current, since_ms FROM counters", -1,
            &st, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char clerk[HQ_CLERK_MAX], reason[HQ_REASON_MAX];
        s_col_text(st, 1, clerk, sizeof clerk);
        s_col_text(st, 3, reason, sizeof reason);
        hall_load_counter(hall, sqlite3_column_int(st, 0), clerk, sqlite3_column_int(st, 2), reason,
                          sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    /* A database written before the streak was the hall's has none in meta: the largest of
     * its windows' streaks stands in, the bound as the strictest window kept it. */
    int64_t streak = 0;
    if (store_scalar(self->db,
                     "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                     " WHERE key = 'green_streak'), (SELECT max(green_streak) FROM counters), 0)",
                     &streak) != 0)
        return -1;
    hall_load_green_streak(hall, (int)streak);
    if (store_scalar(self->db,
                     "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                     " WHERE key = 'appointment_streak'), 0)",
                     &streak) != 0)
        return -1;
    hall_load_appointment_streak(hall, (int)streak);
    if (sqlite3_prepare_v2(self->db, "SELECT counter, secret_hash FROM tablets", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char hash[HALL_TABLET_HASH + 1];
        s_col_text(st, 1, hash, sizeof hash);
        hall_load_tablet(hall, sqlite3_column_int(st, 0), hash);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    /* A database made before the epoch was gets one on its first start. */
    if (store_exec(self->db, hq_db_epoch_sql) != 0)
        return -1;
    if (s_load_calls(self, hall) != 0 || s_load_alerts(self, hall) != 0 ||
        s_load_salt(self, hall) != 0 || s_load_bookings(self, hall, today) != 0)
        return -1;
    int64_t max_id = 0, max_seq = 0;
    if (store_scalar(self->db, "SELECT coalesce(max(id), 0) FROM tickets", &max_id) != 0 ||
        store_scalar(self->db, "SELECT coalesce(max(seq), 0) FROM events", &max_seq) != 0)
        return -1;
    return hall_finish_load(hall, max_id + 1, max_seq);
}

int store_load(store_t *self, hall_t *hall, const char *today)
{
    if (s_load(self, hall, today) == 0) {
        self->loaded = 1;
        return 0;
    }
    /* The start-up check read these pages already: damage here is new, or in what the check
     * could not tell (a row's contents). Before the first load the caller reports it. */
    if (store_is_damage(sqlite3_extended_errcode(self->db)))
        store_set_damage(self, self->loaded ? "reloading the hall's state" : NULL,
                         "reading the hall's state: %s", sqlite3_errmsg(self->db));
    return -1;
}
