/* The history: tickets in, kept as small rows with their local hour and durations. */
#include "history.h"

#include "hq_proto.h"
#include "metric.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Local start of each hour of a business day, from the hall's clock, so daylight saving
 * shifts land where the clock put them. */
typedef struct {
    int day;
    int64_t start_ms[25];
} s_dayhours_t;

stats_hist_t *stats_hist_new(int64_t target_ms)
{
    stats_hist_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->clerks = hq_strmap_new();
    if (!self->clerks) {
        free(self);
        return NULL;
    }
    self->target_ms = target_ms;
    self->rows = (hq_vec_t)HQ_VEC_INIT(hist_row_t);
    self->days = (hq_vec_t)HQ_VEC_INIT(s_dayhours_t);
    self->min_day = INT_MAX;
    self->max_day = -1;
    return self;
}

void stats_hist_destroy(stats_hist_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    stats_hist_t *self = *self_p;
    hq_vec_free(&self->rows);
    hq_vec_free(&self->days);
    hq_strmap_destroy(&self->clerks);
    free(self);
    *self_p = NULL;
}

size_t stats_hist_count(const stats_hist_t *self)
{
    return self->rows.len;
}

int64_t stats_hist_target_ms(const stats_hist_t *self)
{
    return self->target_ms;
}

void stats_hist_days(const stats_hist_t *self, char first[HQ_DATE_TEXT_MAX],
                     char last[HQ_DATE_TEXT_MAX])
{
    first[0] = last[0] = '\0';
    if (self->rows.len == 0)
        return;
    hq_date_format(hq_date_from_days(self->min_day), first);
    hq_date_format(hq_date_from_days(self->max_day), last);
}

static const s_dayhours_t *s_day_hours(stats_hist_t *self, int day)
{
    s_dayhours_t *days = self->days.data;
    if (self->days.len && days[self->last_day].day == day)
        return &days[self->last_day];
    for (size_t i = 0; i < self->days.len; i++)
        if (days[i].day == day) {
            self->last_day = i;
            return &days[i];
        }
    s_dayhours_t *dh = hq_vec_push(&self->days);
    if (!dh)
        return NULL;
    dh->day = day;
    hq_date_t date = hq_date_from_days(day);
    for (int h = 0; h <= 24; h++)
        dh->start_ms[h] = hq_date_local_ms(date, h);
    self->last_day = self->days.len - 1;
    return dh;
}

static uint8_t s_hour_of(const s_dayhours_t *dh, int64_t ms)
{
    int h = 23;
    while (h > 0 && ms < dh->start_ms[h])
        h--;
    return (uint8_t)h;
}

/* Clerk id to its index + 1, adding it when new; 0 for none, -1 out of memory. Ids are
 * kept as the daemon keeps them, at most HQ_CLERK_MAX - 1 bytes. A window's tickets come
 * with the same clerk until the next login, so the clerk last seen there is tried first:
 * one comparison instead of a hash for nearly every ticket of a year. */
static int s_clerk_index(stats_hist_t *self, const char *clerk, int counter)
{
    if (!clerk || !clerk[0])
        return 0;
    hist_seen_t *last = &self->clerk_at[(unsigned)counter % HIST_SEEN];
    if (last->id && strcmp(last->id, clerk) == 0)
        return last->index;
    char cut[HQ_CLERK_MAX];
    if (strnlen(clerk, sizeof cut) == sizeof cut) {
        hq_strlcpy(cut, clerk, sizeof cut);
        clerk = cut;
    }
    size_t known = hq_strmap_size(self->clerks);
    int i = hq_strmap_add(self->clerks, clerk);
    if (i < 0 || i >= UINT16_MAX - 1)
        return -1;
    /* A new id may have moved the texts the others point at. */
    if (hq_strmap_size(self->clerks) != known)
        for (size_t w = 0; w < HIST_SEEN; w++)
            self->clerk_at[w].id = NULL;
    last->id = hq_strmap_key(self->clerks, (size_t)i);
    last->index = (uint16_t)(i + 1);
    return i + 1;
}

static int32_t s_clamp_ms(int64_t ms)
{
    return ms < 0 ? -1 : ms > INT32_MAX ? INT32_MAX : (int32_t)ms;
}

/* The state by its first letter, confirmed by one comparison: this runs for every ticket
 * of a year. */
static int s_state(const char *name)
{
    static const struct {
        char first;
        hq_ticket_state_t state;
    } guess[] = {{'w', HQ_T_WAITING},  {'c', HQ_T_CALLED},  {'s', HQ_T_SERVING}, {'p', HQ_T_PARKED},
                 {'f', HQ_T_FINISHED}, {'n', HQ_T_NO_SHOW}, {'e', HQ_T_EXPIRED}};
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof guess / sizeof guess[0]; i++)
        if (name[0] == guess[i].first)
            return strcmp(name, hq_ticket_state_name(guess[i].state)) == 0 ? (int)guess[i].state
                                                                           : -1;
    return -1;
}

static inline stats_times_t s_times(const stats_ticket_t *t, int finished)
{
    stats_times_t x;
    x.wait_ms = metric_wait_ms(t->issued_ms, t->called_ms);
    x.handling_ms = x.window_ms = -1;
    if (finished) {
        x.handling_ms =
            metric_handling_ms(t->last_called_ms, t->started_ms, t->finished_ms, t->park_total_ms);
        x.window_ms =
            metric_window_ms(t->called_ms, t->last_called_ms, t->finished_ms, t->park_total_ms);
    }
    return x;
}

stats_times_t stats_ticket_times(const stats_ticket_t *t)
{
    return s_times(t, s_state(t->state) == HQ_T_FINISHED);
}

/* The day number of the ticket's business day, the last one remembered; -1 malformed. */
static int s_day(stats_hist_t *self, const char *text)
{
    if (text && self->last_text[0] && strcmp(text, self->last_text) == 0)
        return self->last_number;
    int day = hq_date_parse_days(text);
    if (day < 0 || day > UINT16_MAX)
        return -1;
    hq_strlcpy(self->last_text, text, sizeof self->last_text);
    self->last_number = day;
    return day;
}

int stats_hist_load_record(const stats_record_t *r, void *arg)
{
    stats_hist_loader_t *l = arg;
    if (stats_hist_add(l->h, &r->t) == -1)
        return hq_fail(l->why, l->whylen, "out of memory after %zu tickets",
                       stats_hist_count(l->h));
    return 0;
}

int stats_hist_add(stats_hist_t *self, const stats_ticket_t *t)
{
    int day = s_day(self, t->day);
    int state = s_state(t->state);
    if (day < 0 || state < 0 || t->queue < 'A' || t->queue > 'Z')
        return -2;
    const s_dayhours_t *dh = s_day_hours(self, day);
    int clerk = dh ? s_clerk_index(self, t->clerk, t->counter) : -1;
    if (clerk < 0 ||
        (self->rows.len == self->rows.cap && hq_vec_reserve(&self->rows, self->rows.len + 1) != 0))
        return -1;
    /* Every field is set below: no need to zero the row first. */
    hist_row_t *r = (hist_row_t *)self->rows.data + self->rows.len++;
    r->day = (uint16_t)day;
    r->clerk = (uint16_t)clerk;
    r->service = t->service > 0 && t->service <= UINT16_MAX ? (uint16_t)t->service : 0;
    r->counter = t->counter > 0 && t->counter <= UINT16_MAX ? (uint16_t)t->counter : 0;
    r->queue = (uint8_t)t->queue;
    r->state = (uint8_t)state;
    r->rating = t->rating >= 1 && t->rating <= 5 ? (uint8_t)t->rating : 0;
    r->flags = (t->green ? HIST_GREEN : 0) | (t->instant ? HIST_INSTANT : 0) |
               (t->transfers > 0 ? HIST_TRANSFERRED : 0) | (t->extended ? HIST_EXTENDED : 0);
    r->hour = s_hour_of(dh, t->issued_ms);
    int64_t into = (t->issued_ms - dh->start_ms[r->hour]) / 15000;
    r->quarter = (uint8_t)(into < 0 ? 0 : into > 239 ? 239 : into);
    stats_times_t x = s_times(t, state == HQ_T_FINISHED);
    int64_t target_ms = t->target_ms > 0 ? t->target_ms : self->target_ms;
    if (t->instant && x.handling_ms >= 0 && x.handling_ms <= target_ms)
        r->flags |= HIST_WITHIN;
    r->wait_ms = s_clamp_ms(x.wait_ms);
    r->handling_ms = s_clamp_ms(x.handling_ms);
    r->window_ms = s_clamp_ms(x.window_ms);
    r->busy_from = r->busy_to = HIST_NO_HOUR;
    if (r->counter && t->called_ms) {
        int64_t end = t->finished_ms      ? t->finished_ms
                      : t->last_called_ms ? t->last_called_ms
                                          : t->called_ms;
        r->busy_from = s_hour_of(dh, t->called_ms);
        r->busy_to = s_hour_of(dh, end > t->called_ms ? end : t->called_ms);
    }
    if (day < self->min_day)
        self->min_day = day;
    if (day > self->max_day)
        self->max_day = day;
    return 0;
}
