/* The hall alone, in memory, for the unit tests of its actions (test_hall, test_hall_model):
 * the default configuration, a fresh business day, and requests run as the server runs them
 * (the hall, then its wire forms). No sockets, no database. Header-only: every function is
 * static inline. */
#ifndef HALLQ_TEST_HALL_FIXTURE_H
#define HALLQ_TEST_HALL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall.h"
#include "hall_wire.h"

#define MIN 60000LL
#define T0 1795000000000LL /* a fixed moment; only differences matter */

typedef struct {
    hallq_config_t cfg;
    hall_t *hall;
    int64_t now;
} fx_t;

static inline int hf_setup(void **state)
{
    static fx_t fx;
    char why[256];
    memset(&fx, 0, sizeof fx);
    if (config_default(&fx.cfg, why, sizeof why) != 0)
        return -1;
    fx.hall = hall_new(&fx.cfg);
    hall_reset(fx.hall, "2026-11-23");
    hall_finish_load(fx.hall, 1, 0);
    fx.now = T0;
    *state = &fx;
    return 0;
}

static inline int hf_teardown(void **state)
{
    fx_t *fx = *state;
    hall_destroy(&fx->hall);
    config_free(&fx->cfg);
    return 0;
}

/* Runs one request as the server does (the hall, then its wire forms); the result and the
 * forms, which the caller clears. */
static inline void hf_run(fx_t *fx, const hq_request_t *req, hall_result_t *r, hall_wire_t *w)
{
    hall_result_init(r);
    hall_wire_init(w);
    hall_handle(fx->hall, req, fx->now, r);
    assert_int_equal(hall_wire_write(fx->hall, req, r, fx->now, w), 0);
}

/* Runs one request; returns the reply (caller decrefs) and whether it succeeded. */
static inline json_t *hf_do(fx_t *fx, hq_request_t *req, int *ok, int *nevents)
{
    hall_result_t r;
    hall_wire_t w;
    hf_run(fx, req, &r, &w);
    json_t *reply = json_incref(w.reply);
    *ok = r.error.code == HQ_E_NONE;
    if (nevents)
        *nevents = r.nevents;
    hall_result_clear(&r);
    hall_wire_clear(&w);
    return reply;
}

static inline const char *hf_issue(fx_t *fx, char queue, int service, int elderly,
                                   const char *idnum, char *label)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_ISSUE);
    req.queue = queue;
    req.service = service;
    req.elderly = elderly;
    if (idnum)
        strcpy(req.id_number, idnum);
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    label[0] = '\0';
    if (ok)
        strcpy(label,
               json_string_value(json_object_get(json_object_get(reply, "ticket"), "label")));
    else
        snprintf(label, 64, "ERR:%s",
                 json_string_value(json_object_get(json_object_get(reply, "error"), "code")));
    json_decref(reply);
    return label;
}

static inline int hf_counter_req(fx_t *fx, hq_req_type_t type, int counter, char *label_or_err)
{
    hq_request_t req;
    hq_request_init(&req, type);
    req.counter = counter;
    int ok;
    json_t *reply = hf_do(fx, &req, &ok, NULL);
    if (label_or_err) {
        label_or_err[0] = '\0';
        json_t *t = json_object_get(reply, "ticket");
        if (ok && json_is_object(t))
            strcpy(label_or_err, json_string_value(json_object_get(t, "label")));
        else if (!ok)
            snprintf(
                label_or_err, 200, "%s",
                json_string_value(json_object_get(json_object_get(reply, "error"), "message")));
    }
    json_decref(reply);
    return ok;
}

static inline void hf_login(fx_t *fx, int counter, const char *clerk)
{
    hq_request_t req;
    hq_request_init(&req, HQ_REQ_LOGIN);
    req.counter = counter;
    strcpy(req.clerk, clerk);
    int ok;
    json_decref(hf_do(fx, &req, &ok, NULL));
    assert_true(ok);
}

static char hf_buf[256];
#define CALL(fx, c) (hf_counter_req((fx), HQ_REQ_CALL, (c), hf_buf), hf_buf)

#endif
