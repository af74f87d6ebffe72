/* web_http_internal: what hallq-web's server files share (web_http.c: the server, its
 * responses, the followed tickets and the event streams; web_http_routes.c: the pages and
 * the API behind each address). Nothing outside them includes it. */
#ifndef WEB_HTTP_INTERNAL_H
#define WEB_HTTP_INTERNAL_H

#include "web_http.h"

#include "hq_vec.h"
#include "hq_client.h"
#include "ratelimit.h"
#include "web_api.h"
#include "web_audio.h"
#include "web_state.h"
#include "web_texts.h"

#include <microhttpd.h>
#include <pthread.h>

typedef struct wh_stream wh_stream_t;

struct web_http {
    web_http_config_t cfg;
    web_state_t *state;
    struct MHD_Daemon *mhd;
    int port;
    hq_client_t *client;    /* the HTTP thread's own socket to hallqd (track) */
    web_audio_t *audio;     /* the wall's voice: the HTTP thread's */
    web_api_t *api;         /* the JSON API */
    ratelimit_t *addresses; /* per_address */
    ratelimit_t *guessers;  /* guesses */
    /* Streams that had nothing to send and were suspended; the state's wake resumes them.
     * Under the state's lock. */
    wh_stream_t *waiting;
    size_t nstreams;
    int stopping;
    pthread_mutex_t serial; /* one request at a time (web_http.c's s_access) */
    char *tls_pem[2];       /* HTTPS: the certificate and key, read at start */
};

/* A POST's body, gathered over the calls MHD makes for it. */
typedef struct {
    hq_buf_t body;
    int too_large;
} wh_upload_t;

/* ---- responses (web_http.c) ---- */
/* Queues a response with the security headers; `no_store` for what changes (states, answers),
 * `retry_after_s` > 0 adds Retry-After. */
enum MHD_Result wh_send(struct MHD_Connection *conn, unsigned status, const char *mime,
                        const void *body, size_t len, enum MHD_ResponseMemoryMode mode,
                        int no_store, int retry_after_s);
/* A page or JSON built in b (consumed). */
enum MHD_Result wh_send_buf(struct MHD_Connection *conn, unsigned status, const char *mime,
                            hq_buf_t *b, int retry_after_s);
/* A plain page: a title and a sentence. JSON {"error": code} for the state's address. */
enum MHD_Result wh_plain(struct MHD_Connection *conn, unsigned status, int json, const char *code,
                         web_text_id_t title, const char *text, ui_lang_t lang, int retry_after_s);
/* A page of web_page.h's templates, filled with kv: `status`, and Retry-After when > 0. */
enum MHD_Result wh_send_page(struct MHD_Connection *conn, unsigned status, const char *name,
                             const char *const *kv, int retry_after_s);
/* Whole seconds of a wait in milliseconds, rounded up (Retry-After). */
int wh_retry_s(int64_t ms);
/* 429: the address's budget is spent, and when to come back. */
enum MHD_Result wh_busy(struct MHD_Connection *conn, int json, int64_t retry_ms, ui_lang_t lang);

/* ---- hallqd (web_http.c) ---- */
/* The HTTP thread's own socket to hallqd, opened when first needed; NULL while it cannot be
 * (asked again next time). */
hq_client_t *wh_client(web_http_t *self);

/* ---- the followed tickets (web_http.c) ---- */
typedef enum { WH_FOUND, WH_UNKNOWN, WH_DOWN } wh_lookup_t;
/* Follows a token's ticket when it is one of today's (asking hallqd once). */
wh_lookup_t wh_follow(web_http_t *self, const char *token);
/* The view of a followed token's ticket as JSON text, NULL when it is not followed (or out of
 * memory). Under the state's lock. */
char *wh_view_text(web_http_t *self, const char *token, ui_lang_t lang);
/* The wall's state as JSON text. Under the state's lock. */
char *wh_wall_text(web_http_t *self, ui_lang_t lang);
/* A rating tablet's state as JSON text. Under the state's lock. */
char *wh_tablet_text(web_http_t *self, int counter, ui_lang_t lang);

/* ---- the event streams (web_http.c) ---- */
/* Opens a server-sent event stream: a ticket's (token), a rating tablet's (tablet > 0) or
 * the wall's (neither). */
enum MHD_Result wh_stream_open(web_http_t *self, struct MHD_Connection *conn, const char *token,
                               int tablet, ui_lang_t lang);

/* ---- the routes (web_http_routes.c); rest: the address after its prefix ---- */
/* The API's look at a ticket by token (web_api_ticket_fn): the page's state, in Chinese. */
int wh_api_ticket(void *arg, const char *token, char **json);
/* /api/v1/...: the JSON API (web_api.h). */
enum MHD_Result wh_api(web_http_t *self, struct MHD_Connection *conn, const char *path,
                       const char *method, wh_upload_t *up);
/* /tablet, /tablet/state?counter=N, /tablet/events?counter=N: what the window's rating tablet
 * shows is no secret (the wall shows it too); rating needs the tablet's secret. */
enum MHD_Result wh_tablet(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                          const char *method, wh_upload_t *up, const char *address, ui_lang_t lang);
/* /book, /book/options, /book/slots?queue=A&date=...&service=N, POST /book/new, POST
 * /book/cancel: the citizen's booking page, through hallq-web's own key (hallqd's web role,
 * which books and names a booking by the ID number it was made with). A booking or a cancel
 * costs the address one of its guesses, as a ticket's token does: codes and ID numbers are
 * not tried by the thousand from one place. */
enum MHD_Result wh_book(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                        const char *method, wh_upload_t *up, const char *address, ui_lang_t lang);
/* POST /t/TOKEN/notify {"ahead": 3, "contact": "13800000000"}: "tell me when 3 are ahead"
 * after the page is closed, through the hall's notifier hook. The contact is kept in memory
 * for the ticket's day and handed to the hook only; it is never logged. */
enum MHD_Result wh_subscribe(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                             wh_upload_t *up, ui_lang_t lang);
/* /wall, /wall/state, /wall/events, /wall/audio?label=A001&window=3 */
enum MHD_Result wh_wall(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                        ui_lang_t lang);
/* /t/TOKEN, /t/TOKEN/state, /t/TOKEN/events */
enum MHD_Result wh_ticket(web_http_t *self, struct MHD_Connection *conn, const char *rest,
                          const char *address, ui_lang_t lang);

#endif
