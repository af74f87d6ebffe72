/* web_state: see web_state.h. */
#include "web_state.h"

#include "hq_vec.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct web_state {
    pthread_mutex_t lock;
    hq_mirror_t pub; /* the published copy of the hall */
    dm_t wall;       /* the wall's display model of it */
    int *aheads;     /* every ticket's ahead in pub (web_view_ahead_all) */
    int aheads_cap;
    char base_url[160];                              /* [web] base_url of the hall, "" none */
    web_finished_t finished[HQ_MIRROR_COUNTERS_MAX]; /* by window, for the tablets */
    int nfinished;
    web_follow_t *follow; /* tickets whose links were opened */
    size_t nfollow, max_follow;
    uint64_t version; /* bumped at every change the streams should see */
    web_wake_fn *wake;
    void *wake_arg;
};

web_state_t *web_state_new(size_t max_follow)
{
    web_state_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->follow = calloc(max_follow, sizeof *self->follow);
    if (!self->follow) {
        free(self);
        return NULL;
    }
    self->max_follow = max_follow;
    pthread_mutex_init(&self->lock, NULL);
    hq_mirror_init(&self->pub, 0);
    dm_init(&self->wall, DM_HALL, 0);
    return self;
}

void web_state_destroy(web_state_t **self_p)
{
    web_state_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    hq_mirror_free(&self->pub);
    free(self->aheads);
    free(self->follow);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *self_p = NULL;
}

void web_state_set_wake(web_state_t *self, web_wake_fn *fn, void *arg)
{
    self->wake = fn;
    self->wake_arg = arg;
}

void web_state_lock(web_state_t *self)
{
    pthread_mutex_lock(&self->lock);
}

void web_state_unlock(web_state_t *self)
{
    pthread_mutex_unlock(&self->lock);
}

const hq_mirror_t *web_state_mirror(const web_state_t *self)
{
    return &self->pub;
}

const dm_t *web_state_wall(const web_state_t *self)
{
    return &self->wall;
}

uint64_t web_state_version(const web_state_t *self)
{
    return self->version;
}

web_follow_t *web_state_find(web_state_t *self, const char *token, int64_t now_mono)
{
    for (size_t i = 0; i < self->nfollow; i++)
        if (strcmp(self->follow[i].token, token) == 0) {
            self->follow[i].opened_mono = now_mono;
            return &self->follow[i];
        }
    return NULL;
}

web_follow_t *web_state_find_at(web_state_t *self, const char *token, size_t *hint)
{
    if (*hint < self->nfollow && strcmp(self->follow[*hint].token, token) == 0)
        return &self->follow[*hint];
    for (size_t i = 0; i < self->nfollow; i++)
        if (strcmp(self->follow[i].token, token) == 0) {
            *hint = i;
            return &self->follow[i];
        }
    return NULL;
}

web_follow_t *web_state_add(web_state_t *self, const web_follow_t *f)
{
    size_t at = self->nfollow;
    if (at == self->max_follow) {
        at = 0;
        for (size_t i = 1; i < self->nfollow; i++)
            if (self->follow[i].opened_mono < self->follow[at].opened_mono)
                at = i;
    } else {
        self->nfollow++;
    }
    self->follow[at] = *f;
    return &self->follow[at];
}

const web_finished_t *web_state_finished(const web_state_t *self, int counter)
{
    for (int i = 0; i < self->nfinished; i++)
        if (self->finished[i].counter == counter)
            return &self->finished[i];
    return NULL;
}

/* Notes a finish or a rating for the window's tablet. Under the lock. */
static void s_note_finish(web_state_t *self, const hq_event_t *ev)
{
    const hq_ticket_t *t = &ev->ticket;
    if (t->counter <= 0)
        return;
    web_finished_t *f = (web_finished_t *)web_state_finished(self, t->counter);
    if (ev->type == HQ_EV_RATED) {
        if (f && strcmp(f->label, t->label) == 0)
            f->rating = t->rating;
        return;
    }
    if (!f && self->nfinished < HQ_MIRROR_COUNTERS_MAX)
        f = &self->finished[self->nfinished++];
    if (!f)
        return;
    f->counter = t->counter;
    snprintf(f->label, sizeof f->label, "%s", t->label);
    f->finished_ms = t->finished_ms;
    f->rating = t->rating;
}

const char *web_state_base_url(const web_state_t *self)
{
    return self->base_url;
}

void web_state_set_base_url(web_state_t *self, const char *url)
{
    pthread_mutex_lock(&self->lock);
    snprintf(self->base_url, sizeof self->base_url, "%s", url);
    pthread_mutex_unlock(&self->lock);
}

int web_state_any_waiting(const web_state_t *self)
{
    for (size_t i = 0; i < self->nfollow; i++) {
        const hq_ticket_t *t = hq_mirror_ticket(&self->pub, self->follow[i].ticket.id);
        if ((t ? t : &self->follow[i].ticket)->state == HQ_T_WAITING)
            return 1;
    }
    return 0;
}

/* A ticket of the mirror by id: a binary search where the tickets are in id order (as the
 * mirror keeps them nearly always), else a walk. */
static const hq_ticket_t *s_locate(const hq_mirror_t *m, int64_t id)
{
    int lo = 0, hi = m->ntickets - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (m->tickets[mid].id == id)
            return &m->tickets[mid];
        if (m->tickets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return hq_mirror_ticket(m, id);
}

const int *web_state_aheads(const web_state_t *self)
{
    return self->aheads;
}

static void s_changed(web_state_t *self)
{
    self->version++;
    if (self->wake)
        self->wake(self->wake_arg);
}

int web_state_publish(web_state_t *self, const hq_mirror_t *m, const dm_t *wall)
{
    pthread_mutex_lock(&self->lock);
    int rc = hq_mirror_copy(&self->pub, m);
    if (rc == 0 && self->pub.ntickets > self->aheads_cap) {
        int *more = realloc(self->aheads, (size_t)self->pub.tickets_cap * sizeof *more);
        if (more) {
            self->aheads = more;
            self->aheads_cap = self->pub.tickets_cap;
        } else {
            rc = -1;
        }
    }
    if (rc == 0) {
        web_view_ahead_all(&self->pub, self->aheads);
        self->wall = *wall;
        /* The mirror's copy of a followed ticket is the newest: keep it for when the ticket
         * leaves the mirror without an event (a fresh snapshot). */
        for (size_t i = 0; i < self->nfollow; i++) {
            const hq_ticket_t *t = s_locate(&self->pub, self->follow[i].ticket.id);
            self->follow[i].mirror_at = t ? (int)(t - self->pub.tickets) : -1;
            if (t)
                self->follow[i].ticket = *t;
        }
        s_changed(self);
    }
    pthread_mutex_unlock(&self->lock);
    return rc;
}

void web_state_event(web_state_t *self, const hq_event_t *ev)
{
    if (!ev->has_ticket)
        return;
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->nfollow; i++)
        if (self->follow[i].ticket.id == ev->ticket.id)
            self->follow[i].ticket = ev->ticket;
    if (ev->type == HQ_EV_FINISHED || ev->type == HQ_EV_RATED)
        s_note_finish(self, ev);
    pthread_mutex_unlock(&self->lock);
}

void web_state_waits(web_state_t *self, const json_t *snapshot)
{
    const json_t *waits = json_object_get(snapshot, "waits");
    int64_t ts = json_integer_value(json_object_get(snapshot, "ts_ms"));
    if (!json_is_array(waits))
        return;
    pthread_mutex_lock(&self->lock);
    size_t n = json_array_size(waits);
    for (size_t w = 0; w < n; w++) {
        const json_t *one = json_array_get(waits, w);
        int64_t id = json_integer_value(json_object_get(one, "ticket"));
        for (size_t i = 0; i < self->nfollow; i++)
            if (self->follow[i].ticket.id == id) {
                self->follow[i].est_wait_ms =
                    json_integer_value(json_object_get(one, "est_wait_ms"));
                self->follow[i].est_at_ms = ts;
            }
    }
    s_changed(self);
    pthread_mutex_unlock(&self->lock);
}

void web_state_notices(web_state_t *self, web_notice_fn *fn, void *arg)
{
    pthread_mutex_lock(&self->lock);
    for (size_t i = 0; i < self->nfollow; i++) {
        char text[300];
        if (web_view_notice(&self->pub, &self->follow[i], text, sizeof text)) {
            self->follow[i].notified = 1;
            fn(arg, &self->follow[i], text, self->base_url);
        }
    }
    pthread_mutex_unlock(&self->lock);
}

void web_state_tick(web_state_t *self)
{
    pthread_mutex_lock(&self->lock);
    s_changed(self);
    pthread_mutex_unlock(&self->lock);
}

void web_state_forget_before(web_state_t *self, const char *day)
{
    pthread_mutex_lock(&self->lock);
    size_t kept = 0;
    for (size_t i = 0; i < self->nfollow; i++)
        if (strcmp(self->follow[i].ticket.day, day) >= 0)
            self->follow[kept++] = self->follow[i];
    self->nfollow = kept;
    s_changed(self);
    pthread_mutex_unlock(&self->lock);
}
