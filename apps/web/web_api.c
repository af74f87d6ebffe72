/* web_api: see web_api.h. */
#include "web_api.h"

#include "config.h"
#include "hq_client.h"
#include "hq_log.h"
#include "ratelimit.h"
#include "roles.h"
#include "web_book.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_KEYS_MAX 256
#define S_NAME_MAX 11 /* "api:" + name + ":" + Idempotency-Key fits an issue token */
#define S_IDEM_MAX 32
#define S_SECRET_MIN 20 /* characters of a secret: guessing one is hopeless */

typedef struct {
    char name[S_NAME_MAX];
    char role[16];
    char secret[128];
    char *device; /* a device key of the hall to speak as, NULL: hallq-web's own */
    hq_client_t *client;
} s_key_t;

struct web_api {
    char *endpoint;
    web_state_t *state;
    web_api_ticket_fn *ticket;
    void *ticket_arg;
    s_key_t keys[S_KEYS_MAX];
    size_t nkeys;
    hallq_config_t limits; /* the roles' budgets: hallqd's defaults */
    ratelimit_t *budgets;
};

/* ---- the keys file ------------------------------------------------------------------------- */
static int s_load(web_api_t *self, const char *path, char *why, size_t whylen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return hq_fail(why, whylen, "--api-keys %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077)) {
        fclose(f);
        return hq_fail(why, whylen,
                       "--api-keys %s may be read or written by others than its owner "
                       "(chmod 600): it holds the keys' secrets",
                       path);
    }
    char line[1024];
    int n = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        n++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char name[64], role[64], secret[256], device[700];
        int got = sscanf(line, "%63s %63s %255s %699s", name, role, secret, device);
        if (got <= 0)
            continue;
        int ok_name = strlen(name) < S_NAME_MAX;
        for (const char *p = name; *p; p++)
            ok_name &= isalnum((unsigned char)*p) || *p == '-' || *p == '_';
        if (got < 3)
            rc = hq_fail(why, whylen, "%s:%d: a key is NAME ROLE SECRET [DEVICE_KEY]", path, n);
        else if (!ok_name)
            rc = hq_fail(why, whylen, "%s:%d: a key's name is 1 to %d letters, digits, - or _",
                         path, n, S_NAME_MAX - 1);
        else if (strcmp(role, "kiosk") != 0 && strcmp(role, "display") != 0 &&
                 strcmp(role, "manager") != 0)
            rc = hq_fail(why, whylen, "%s:%d: role %s: an API key is kiosk, display or manager",
                         path, n, role);
        else if (strlen(secret) < S_SECRET_MIN || strlen(secret) >= sizeof self->keys[0].secret)
            rc = hq_fail(why, whylen,
                         "%s:%d: a secret is %d to 127 characters (e.g. head -c 24 /dev/urandom | "
                         "base64)",
                         path, n, S_SECRET_MIN);
        else if (self->nkeys == S_KEYS_MAX)
            rc = hq_fail(why, whylen, "%s:%d: at most %d keys", path, n, S_KEYS_MAX);
        else {
            for (size_t i = 0; i < self->nkeys && rc == 0; i++)
                if (strcmp(self->keys[i].name, name) == 0)
                    rc = hq_fail(why, whylen, "%s:%d: key %s is named twice", path, n, name);
            if (rc)
                break;
            s_key_t *k = &self->keys[self->nkeys++];
            snprintf(k->name, sizeof k->name, "%s", name);
            snprintf(k->role, sizeof k->role, "%.15s", role);
            snprintf(k->secret, sizeof k->secret, "%s", secret);
            k->device = got == 4 ? strdup(device) : NULL;
        }
    }
    fclose(f);
    return rc;
}

web_api_t *web_api_new(const char *keys_file, const char *endpoint, web_state_t *state,
                       web_api_ticket_fn *ticket, void *ticket_arg, char *why, size_t whylen)
{
    web_api_t *self = calloc(1, sizeof *self);
    if (!self) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->state = state;
    self->ticket = ticket;
    self->ticket_arg = ticket_arg;
    self->endpoint = strdup(endpoint);
    self->budgets = ratelimit_new(S_KEYS_MAX);
    if (!self->endpoint || !self->budgets || sodium_init() < 0 ||
        config_default(&self->limits, why, whylen) != 0) {
        snprintf(why, whylen, "out of memory");
        web_api_destroy(&self);
        return NULL;
    }
    if (keys_file && s_load(self, keys_file, why, whylen) != 0) {
        web_api_destroy(&self);
        return NULL;
    }
    return self;
}

void web_api_destroy(web_api_t **self_p)
{
    web_api_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    for (size_t i = 0; i < self->nkeys; i++) {
        sodium_memzero(self->keys[i].secret, sizeof self->keys[i].secret);
        free(self->keys[i].device);
        hq_client_destroy(&self->keys[i].client);
    }
    ratelimit_destroy(&self->budgets);
    config_free(&self->limits);
    free(self->endpoint);
    free(self);
    *self_p = NULL;
}

size_t web_api_keys(const web_api_t *self)
{
    return self->nkeys;
}

/* ---- answers ------------------------------------------------------------------------------- */
static void s_answer(web_api_response_t *out, int status, json_t *body)
{
    out->status = status;
    out->json = body ? hq_json_compact(body, NULL) : NULL;
    json_decref(body);
    if (!out->json) {
        out->status = 500;
        out->json = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
    }
}

static void s_error(web_api_response_t *out, int status, const char *code, const char *message)
{
    s_answer(out, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message));
}

/* The key a request's Authorization header names, NULL (out answered) when none does. */
static s_key_t *s_key(web_api_t *self, const web_api_request_t *req, web_api_response_t *out)
{
    const char *auth = req->authorization;
    if (!auth || strncmp(auth, "Bearer ", 7) != 0) {
        s_error(out, 401, "unauthorized", "send the API key as Authorization: Bearer SECRET");
        return NULL;
    }
    const char *secret = auth + 7;
    size_t len = strlen(secret);
    s_key_t *found = NULL;
    /* Every key is compared, in constant time each: the time says nothing of a near miss. */
    for (size_t i = 0; i < self->nkeys; i++)
        if (strlen(self->keys[i].secret) == len &&
            sodium_memcmp(self->keys[i].secret, secret, len) == 0)
            found = &self->keys[i];
    if (!found)
        s_error(out, 401, "unauthorized", "no API key has this secret");
    return found;
}

static const hq_rate_t *s_budget(const web_api_t *self, const s_key_t *k)
{
    cfg_limit_t which = strcmp(k->role, "kiosk") == 0     ? CFG_LIMIT_KIOSK
                        : strcmp(k->role, "display") == 0 ? CFG_LIMIT_DISPLAY
                                                          : CFG_LIMIT_MANAGER;
    return &self->limits.limits[which];
}

/* The role's rule for the request hallqd would get; 0 allowed, else out answered. */
static int s_allowed(const s_key_t *k, hq_req_type_t type, web_api_response_t *out)
{
    hq_request_t req;
    hq_request_init(&req, type);
    char why[200];
    if (role_allows(k->role, &req, why, sizeof why))
        return 0;
    char message[300];
    snprintf(message, sizeof message, "API key %s: %s", k->name, why);
    s_error(out, 403, "forbidden", message);
    return -1;
}

static int s_http_status(hq_error_code_t code)
{
    switch (code) {
    case HQ_E_MALFORMED:
    case HQ_E_BAD_FIELD:
    case HQ_E_BAD_ID_NUMBER:
        return 400;
    case HQ_E_UNKNOWN_QUEUE:
    case HQ_E_UNKNOWN_SERVICE:
        return 422;
    case HQ_E_STATE:
        return 409;
    case HQ_E_FORBIDDEN:
        return 403;
    case HQ_E_RATE_LIMITED:
        return 429;
    default:
        return 502;
    }
}

/* The Idempotency-Key header checked; 0 (key "" when none), -1 with out answered. */
static int s_idempotency(const web_api_request_t *req, web_api_response_t *out)
{
    if (!req->idempotency)
        return 0;
    size_t n = strlen(req->idempotency);
    int ok = n >= 1 && n <= S_IDEM_MAX;
    for (const char *p = req->idempotency; *p; p++)
        ok &= isalnum((unsigned char)*p) || *p == '-' || *p == '_';
    if (ok)
        return 0;
    s_error(out, 400, "bad_request", "Idempotency-Key: 1 to 32 letters, digits, - or _");
    return -1;
}

/* The connection to hallqd the key speaks through. */
static hq_client_t *s_client(web_api_t *self, s_key_t *k)
{
    if (!k->client)
        k->client = hq_client_new_as(self->endpoint, 3000, k->device);
    return k->client;
}

/* POST /tickets {"queue": "A", "service": 3, "elderly": false} */
static void s_issue(web_api_t *self, s_key_t *k, const web_api_request_t *req,
                    web_api_response_t *out)
{
    if (s_allowed(k, HQ_REQ_ISSUE, out) != 0)
        return;
    json_error_t jerr;
    json_t *body =
        json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    hq_request_t r;
    hq_request_init(&r, HQ_REQ_ISSUE);
    const json_t *queue = json_object_get(body, "queue");
    const json_t *service = json_object_get(body, "service");
    const json_t *elderly = json_object_get(body, "elderly");
    const char *q = json_string_value(queue);
    const char *bad = !json_is_object(body)                                   ? "a JSON object"
                      : !q || strlen(q) != 1 || !isalpha((unsigned char)q[0]) ? "queue: one letter"
                      : service && !json_is_integer(service) ? "service: an integer"
                      : elderly && !json_is_boolean(elderly) ? "elderly: true or false"
                      : json_object_size(body) > (size_t)(1 + !!service + !!elderly)
                          ? "only queue, service and elderly"
                          : NULL;
    if (bad) {
        char message[120];
        snprintf(message, sizeof message, "the body must be %s", bad);
        json_decref(body);
        s_error(out, 400, "bad_request", message);
        return;
    }
    r.queue = (char)toupper((unsigned char)q[0]);
    json_int_t svc = service ? json_integer_value(service) : 0;
    r.service = !service ? 0 : svc > 0 && svc < 100000 ? (int)svc : -1;
    r.elderly = json_is_true(elderly);
    json_decref(body);
    if (service && r.service < 0) {
        s_error(out, 400, "bad_request", "service: a catalog item number");
        return;
    }
    if (s_idempotency(req, out) != 0)
        return;
    /* The key's own: another key's Idempotency-Key never finds this one's ticket. */
    if (req->idempotency)
        snprintf(r.token, sizeof r.token, "api:%s:%s", k->name, req->idempotency);
    hq_reply_t reply;
    hq_error_t err;
    if (!s_client(self, k) || hq_client_request(k->client, &r, &reply, &err) != 0) {
        s_error(out, 503, "unavailable", "the calling system cannot be reached");
        return;
    }
    if (!reply.ok) {
        out->retry_after_s = (int)((reply.error.retry_after_ms + 999) / 1000);
        s_error(out, s_http_status(reply.error.code), hq_error_code_name(reply.error.code),
                reply.error.message);
        hq_reply_clear(&reply);
        return;
    }
    const json_t *t = json_object_get(reply.body, "ticket");
    const char *token = json_string_value(json_object_get(reply.body, "web_token"));
    web_state_lock(self->state);
    char url[300] = "";
    const char *base = web_state_base_url(self->state);
    if (base[0] && token)
        snprintf(url, sizeof url, "%s/t/%s", base, token);
    web_state_unlock(self->state);
    json_int_t wait = json_integer_value(json_object_get(reply.body, "est_wait_ms"));
    json_t *answer = json_pack(
        "{s:{s:O, s:O, s:O, s:O, s:O, s:O}, s:O, s:O, s:O, s:I, s:s, s:s, s:b}", "ticket", "number",
        json_object_get(t, "label"), "queue", json_object_get(t, "queue"), "service",
        json_object_get(t, "service"), "lane", json_object_get(t, "lane"), "state",
        json_object_get(t, "state"), "issued_ms", json_object_get(t, "issued_ms"), "queue_name",
        json_object_get(reply.body, "queue_name"), "service_name",
        json_object_get(reply.body, "service_name"), "ahead", json_object_get(reply.body, "ahead"),
        "est_wait_min", (json_int_t)((wait + 59999) / 60000), "web_token", token ? token : "",
        "url", url, "repeat", json_is_true(json_object_get(reply.body, "repeat")));
    hq_reply_clear(&reply);
    s_answer(out, 201, answer);
}

static void s_book_out(web_book_answer_t *a, web_api_response_t *out)
{
    out->retry_after_s = a->retry_after_s;
    s_answer(out, a->status, a->body);
    a->body = NULL;
}

/* GET /slots?queue=A&date=2026-10-12[&service=3] */
static void s_slots(web_api_t *self, s_key_t *k, const web_api_request_t *req,
                    web_api_response_t *out)
{
    if (s_allowed(k, HQ_REQ_SLOTS, out) != 0)
        return;
    web_book_answer_t a;
    web_book_slots(s_client(self, k), req->arg ? req->arg(req->arg_ctx, "queue") : NULL,
                   req->arg ? req->arg(req->arg_ctx, "service") : NULL,
                   req->arg ? req->arg(req->arg_ctx, "date") : NULL, req->lang, &a);
    s_book_out(&a, out);
}

/* POST /bookings {"queue", "service", "date", "slot", "id_number"}, once per Idempotency-Key. */
static void s_book(web_api_t *self, s_key_t *k, const web_api_request_t *req,
                   web_api_response_t *out)
{
    if (s_allowed(k, HQ_REQ_BOOK, out) != 0 || s_idempotency(req, out) != 0)
        return;
    /* The key's own, as an issue's: another key's Idempotency-Key never finds this booking.
     * hallqd keeps it with the booking, so a repeat finds it after a restart of either. */
    char token[HQ_TOKEN_MAX] = "";
    if (req->idempotency)
        snprintf(token, sizeof token, "api:%s:%s", k->name, req->idempotency);
    web_book_answer_t a;
    web_book_make(s_client(self, k), req->body, req->body_len, token[0] ? token : NULL, req->lang,
                  &a);
    if (a.status == 201 && a.body && !json_object_get(a.body, "repeat"))
        json_object_set_new(a.body, "repeat", json_false());
    s_book_out(&a, out);
}

/* POST /bookings/CODE/lookup, POST /bookings/CODE/cancel {"id_number"} */
static void s_named(web_api_t *self, s_key_t *k, const web_api_request_t *req, const char *rest,
                    web_api_response_t *out)
{
    char code[16];
    size_t n = strcspn(rest, "/");
    const char *what = rest + n;
    int cancel = strcmp(what, "/cancel") == 0;
    if (n == 0 || n >= sizeof code || (!cancel && strcmp(what, "/lookup") != 0)) {
        s_error(out, 404, "not_found", "no such API address (see /api/v1/openapi.json)");
        return;
    }
    memcpy(code, rest, n);
    code[n] = '\0';
    /* The role's rule as hallqd applies it to a request naming the booker's ID number. */
    hq_request_t r;
    hq_request_init(&r, cancel ? HQ_REQ_CANCEL : HQ_REQ_BOOKING);
    snprintf(r.id_number, sizeof r.id_number, "%s", "given");
    char why[200];
    if (!role_allows(k->role, &r, why, sizeof why)) {
        char message[300];
        snprintf(message, sizeof message, "API key %s: %s", k->name, why);
        s_error(out, 403, "forbidden", message);
        return;
    }
    web_book_answer_t a;
    web_book_named(s_client(self, k), cancel, code, req->body, req->body_len, req->lang, &a);
    s_book_out(&a, out);
}

static void s_queues(web_api_t *self, web_api_response_t *out)
{
    json_t *list = json_array();
    web_state_lock(self->state);
    const hq_mirror_t *m = web_state_mirror(self->state);
    for (int i = 0; i < m->nqueues; i++) {
        char prefix[2] = {m->queues[i].prefix, '\0'};
        json_array_append_new(list, json_pack("{s:s, s:s, s:i, s:i}", "prefix", prefix, "name",
                                              m->queues[i].name, "waiting", m->queues[i].waiting,
                                              "green", m->queues[i].green));
    }
    int live = m->state == HQ_SYNC_ACTIVE;
    web_state_unlock(self->state);
    s_answer(out, 200, json_pack("{s:o, s:b}", "queues", list, "live", live));
}

static void s_hall(web_api_t *self, web_api_response_t *out)
{
    json_t *counters = json_array(), *recent = json_array();
    web_state_lock(self->state);
    const hq_mirror_t *m = web_state_mirror(self->state);
    const dm_t *wall = web_state_wall(self->state);
    for (int i = 0; i < m->ncounters; i++) {
        const hq_counter_t *c = &m->counters[i];
        json_array_append_new(counters, json_pack("{s:i, s:s, s:s}", "id", c->id, "state",
                                                  hq_counter_state_name(c->state), "ticket",
                                                  c->current_label));
    }
    for (int i = 0; i < m->nrecent; i++)
        json_array_append_new(recent, json_pack("{s:s, s:i, s:I}", "number", m->recent[i].label,
                                                "counter", m->recent[i].counter, "ts_ms",
                                                (json_int_t)m->recent[i].ts_ms));
    json_t *answer =
        json_pack("{s:s, s:s, s:s, s:b, s:I, s:o, s:o}", "name", m->hall_name, "notice",
                  wall->notice, "day", m->day, "live", m->state == HQ_SYNC_ACTIVE, "avg_wait_ms",
                  (json_int_t)m->avg_wait_ms, "counters", counters, "recent", recent);
    web_state_unlock(self->state);
    s_answer(out, 200, answer);
}

void web_api_handle(web_api_t *self, const web_api_request_t *req, web_api_response_t *out)
{
    memset(out, 0, sizeof *out);
    if (!self->nkeys) {
        s_error(out, 404, "not_found", "this hall has no API keys (hallq-web --api-keys FILE)");
        return;
    }
    s_key_t *k = s_key(self, req, out);
    if (!k)
        return;
    int64_t wait = ratelimit_take(self->budgets, k->name, s_budget(self, k), hq_monotonic_ms());
    if (wait > 0) {
        out->retry_after_s = (int)((wait + 999) / 1000);
        s_error(out, 429, "rate_limited", "this API key spent its request budget");
        return;
    }
    int get = strcmp(req->method, "GET") == 0, post = strcmp(req->method, "POST") == 0;
    if (strcmp(req->path, "/tickets") == 0 && post) {
        s_issue(self, k, req, out);
    } else if (strncmp(req->path, "/tickets/", 9) == 0 && get) {
        char *json = NULL;
        out->status = self->ticket(self->ticket_arg, req->path + 9, &json);
        out->json = json;
        if (out->status != 200) {
            free(json);
            out->json = NULL;
        }
        if (out->status == 404)
            s_error(out, 404, "unknown_ticket", "no ticket of today has this token");
        else if (out->status != 200 || !json)
            s_error(out, 503, "unavailable", "the calling system cannot be reached");
    } else if (strcmp(req->path, "/queues") == 0 && get) {
        if (s_allowed(k, HQ_REQ_SNAPSHOT, out) == 0)
            s_queues(self, out);
    } else if (strcmp(req->path, "/slots") == 0 && get) {
        s_slots(self, k, req, out);
    } else if (strcmp(req->path, "/bookings") == 0 && post) {
        s_book(self, k, req, out);
    } else if (strncmp(req->path, "/bookings/", 10) == 0 && post) {
        s_named(self, k, req, req->path + 10, out);
    } else if (strcmp(req->path, "/hall") == 0 && get) {
        if (s_allowed(k, HQ_REQ_SNAPSHOT, out) == 0)
            s_hall(self, out);
    } else {
        s_error(out, 404, "not_found", "no such API address (see /api/v1/openapi.json)");
    }
}
