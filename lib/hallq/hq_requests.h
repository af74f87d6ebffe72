/* The one table of requests: a row per request type, and everything that differs between
 * request types is a column of it. The enum, the codec's names and field checks, the
 * daemon's "changes the hall" flag, the role rules and hallqctl's verbs are all derived from
 * these rows, so they cannot drift apart.
 *
 * Adding a request: its row here, its handler in server/, its section in PROTOCOL.md and its
 * tests. Nothing else.
 *
 * X(ID, name, required, optional, effect, roles, scope, verb, help)
 *   ID        the enum suffix: HQ_REQ_<ID>
 *   name      the wire name (an identifier, stringified); the daemon's handler is s_<name>
 *   required  fields that must be present (HQ_F_* bits)
 *   optional  fields that may be present; any other field is refused
 *   effect    HQ_CHANGES: may change the hall (committed before the reply); HQ_READS: never
 *   roles     device roles whose key may send it (HQ_ROLE_* bits)
 *   scope     how far a window's key ("counter:N") reaches with it, and whether a kiosk's
 *             key needs staff credentials (HQ_SCOPE_* bits); the other roles are bound to
 *             neither
 *   verb      hallqctl's verb for it
 *   help      hallqctl's one-line help; the verb's words come from the fields
 */
#ifndef HQ_REQUESTS_H
#define HQ_REQUESTS_H

/* Request fields besides the envelope ("v", "id", "type"). */
typedef enum {
    HQ_F_COUNTER = 1 << 0,   /* "counter": window number 1-999 */
    HQ_F_QUEUE = 1 << 1,     /* "queue": one letter A-Z */
    HQ_F_SERVICE = 1 << 2,   /* "service": catalog item number 1-9999 */
    HQ_F_ELDERLY = 1 << 3,   /* "elderly": true or false, the receptionist's green lane */
    HQ_F_ID_NUMBER = 1 << 4, /* "id_number": 18 characters, never stored */
    HQ_F_NUMBER = 1 << 5,    /* "number": ticket number such as A001 */
    HQ_F_RATING = 1 << 6,    /* "rating": 1-5 */
    HQ_F_CLERK = 1 << 7,     /* "clerk": 1-31 bytes: who logs in, or who acts as staff */
    HQ_F_REASON = 1 << 8,    /* "reason": pause reason, or why staff set the green lane */
    HQ_F_TOKEN = 1 << 9,     /* "token": issue idempotency token; a web token, pairing code or
                              * tablet secret (track, claim, tablet_rate) */
    HQ_F_PIN = 1 << 10,      /* "pin": the clerk's PIN, 1-31 bytes, never kept */
    HQ_F_DATE = 1 << 11,     /* "date": a business day YYYY-MM-DD */
    HQ_F_SLOT = 1 << 12,     /* "slot": a slot's start HH:MM */
    HQ_F_CODE = 1 << 13,     /* "code": a booking code, 6 characters */
} hq_field_t;
#define HQ_FIELD_COUNT 14

/* Who may send a request (a device key's role; no keys: everything is allowed). */
enum {
    HQ_ROLE_MANAGER = 1 << 0, /* "manager" */
    HQ_ROLE_KIOSK = 1 << 1,   /* "kiosk" */
    HQ_ROLE_DISPLAY = 1 << 2, /* "display" */
    HQ_ROLE_COUNTER = 1 << 3, /* "counter:N": a window's clerk terminal or rating pad */
    HQ_ROLE_WEB = 1 << 4,     /* "web": hallq-web, the citizens' pages */
};
#define HQ_ROLE_ANY                                                                                \
    (HQ_ROLE_MANAGER | HQ_ROLE_KIOSK | HQ_ROLE_DISPLAY | HQ_ROLE_COUNTER | HQ_ROLE_WEB)
#define HQ_ROLE_STAFF (HQ_ROLE_MANAGER | HQ_ROLE_COUNTER)

#define HQ_READS 0
#define HQ_CHANGES 1

/* How far a window's key ("counter:N") reaches with a request; the other roles are bound to
 * no window. role_allows (roles.c) applies HQ_SCOPE_WINDOW as the request arrives;
 * HQ_SCOPE_TICKET needs to know where the ticket is, so the hall applies it
 * (role_allows_ticket) against the window the server wrote into the request
 * (hq_request_t.origin_window). */
#define HQ_SCOPE_HALL 0          /* no window rule: the role alone decides */
#define HQ_SCOPE_WINDOW (1 << 0) /* its "counter" must be N */
/* Its "number" names a ticket last at window N: parked, finished or marked no-show there. */
#define HQ_SCOPE_TICKET (1 << 1)
/* A kiosk's key sends it only in staff mode: with a clerk's "clerk" and "pin", which the hall
 * checks against the clerk roster (role_allows asks for both; the hall checks them for
 * whoever sends them). */
#define HQ_SCOPE_STAFF (1 << 2)
/* A kiosk's or web key sends it only with the "id_number" the booking its "code" names was
 * made with (the citizen's own booking); the hall checks any "id_number" sent, whoever sends
 * it, against the booking's salted hash (role_allows asks for it; the hall compares). */
#define HQ_SCOPE_PERSON (1 << 3)
/* The roles that serve citizens their appointments: the manager, the kiosk and hallq-web. */
#define HQ_ROLE_BOOKING (HQ_ROLE_MANAGER | HQ_ROLE_KIOSK | HQ_ROLE_WEB)

/* clang-format off */
#define HQ_REQUESTS(X)                                                                             \
    X(PING, ping, 0, 0, HQ_READS, HQ_ROLE_ANY, HQ_SCOPE_HALL,                                      \
      "version", "versions of hallqctl and of the daemon")                                        \
    X(ISSUE, issue, HQ_F_QUEUE,                                                                    \
      HQ_F_SERVICE | HQ_F_ELDERLY | HQ_F_ID_NUMBER | HQ_F_TOKEN | HQ_F_CLERK | HQ_F_PIN |          \
          HQ_F_REASON,                                                                             \
      HQ_CHANGES, HQ_ROLE_MANAGER | HQ_ROLE_KIOSK, HQ_SCOPE_HALL,                                  \
      "issue", "issue a ticket; prints its number first")                                         \
    X(CALL, call, HQ_F_COUNTER, HQ_F_NUMBER, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,           \
      "call", "call the next ticket (or a chosen one); prints it or 'none'")                      \
    X(RECALL, recall, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                 \
      "recall", "call the ticket at the window again")                                            \
    X(START, start, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                   \
      "start", "the citizen arrived: handling starts")                                            \
    X(FINISH, finish, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                 \
      "finish", "handling done")                                                                  \
    X(NO_SHOW, no_show, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,               \
      "no-show", "the called citizen did not come")                                               \
    X(REACTIVATE, reactivate, HQ_F_NUMBER, HQ_F_CLERK | HQ_F_PIN, HQ_CHANGES,                      \
      HQ_ROLE_STAFF | HQ_ROLE_KIOSK, HQ_SCOPE_TICKET | HQ_SCOPE_STAFF,                             \
      "reactivate", "put a no-show back in line")                                                 \
    X(PARK, park, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                     \
      "park", "set the ticket aside (missing document)")                                          \
    X(UNPARK, unpark, HQ_F_COUNTER | HQ_F_NUMBER, 0, HQ_CHANGES, HQ_ROLE_STAFF,                    \
      HQ_SCOPE_WINDOW | HQ_SCOPE_TICKET,                                                           \
      "unpark", "take a parked ticket back")                                                      \
    X(TRANSFER, transfer, HQ_F_COUNTER | HQ_F_QUEUE, 0, HQ_CHANGES, HQ_ROLE_STAFF,                 \
      HQ_SCOPE_WINDOW,                                                                             \
      "transfer", "send the ticket to another queue")                                             \
    X(RATE, rate, HQ_F_NUMBER | HQ_F_RATING, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_TICKET,        \
      "rate", "record the citizen's rating of a finished ticket")                                  \
    X(PAUSE, pause, HQ_F_COUNTER, HQ_F_REASON, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,         \
      "pause", "pause the counter")                                                               \
    X(RESUME, resume, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                 \
      "resume", "resume a paused counter")                                                        \
    X(LOGIN, login, HQ_F_COUNTER | HQ_F_CLERK, HQ_F_PIN, HQ_CHANGES, HQ_ROLE_STAFF,                \
      HQ_SCOPE_WINDOW,                                                                             \
      "login", "log a clerk in (or take the counter over)")                                       \
    X(LOGOUT, logout, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                 \
      "logout", "close the counter")                                                              \
    X(STAFF, staff, HQ_F_CLERK | HQ_F_PIN, 0, HQ_READS,                                            \
      HQ_ROLE_MANAGER | HQ_ROLE_KIOSK | HQ_ROLE_COUNTER, HQ_SCOPE_HALL,                            \
      "staff", "check a clerk's PIN for a kiosk's staff mode")                                    \
    X(SNAPSHOT, snapshot, 0, 0, HQ_READS, HQ_ROLE_ANY, HQ_SCOPE_HALL,                              \
      "snapshot", "the whole state of the hall now")                                              \
    X(CATALOG, catalog, 0, 0, HQ_READS, HQ_ROLE_ANY, HQ_SCOPE_HALL,                                \
      "catalog", "queues, services with their materials, counters")                               \
    X(SLOTS, slots, HQ_F_QUEUE | HQ_F_DATE, HQ_F_SERVICE, HQ_READS, HQ_ROLE_BOOKING,             \
      HQ_SCOPE_HALL,                                                                               \
      "slots", "a day's appointment slots of a queue (or service), with the places left")          \
    X(BOOK, book, HQ_F_QUEUE | HQ_F_DATE | HQ_F_SLOT | HQ_F_ID_NUMBER, HQ_F_SERVICE | HQ_F_TOKEN,  \
      HQ_CHANGES,                                                                                  \
      HQ_ROLE_BOOKING, HQ_SCOPE_HALL,                                                              \
      "book", "book an appointment slot; prints its booking code first")                          \
    X(CANCEL, cancel, HQ_F_CODE, HQ_F_ID_NUMBER, HQ_CHANGES, HQ_ROLE_BOOKING, HQ_SCOPE_PERSON,     \
      "cancel", "cancel a booking before its slot")                                                \
    X(BOOKING, booking, HQ_F_CODE, HQ_F_ID_NUMBER, HQ_READS, HQ_ROLE_BOOKING, HQ_SCOPE_PERSON,     \
      "booking", "a booking by its code: its slot, state and check-in window")                     \
    X(CHECK_IN, check_in, 0, HQ_F_CODE | HQ_F_ID_NUMBER | HQ_F_TOKEN, HQ_CHANGES,                  \
      HQ_ROLE_MANAGER | HQ_ROLE_KIOSK, HQ_SCOPE_HALL,                                              \
      "check-in", "check a booking in (by code or ID number); prints the ticket first")            \
    X(TRACK, track, HQ_F_TOKEN, 0, HQ_READS, HQ_ROLE_MANAGER | HQ_ROLE_WEB, HQ_SCOPE_HALL,         \
      "track", "today's ticket whose web token (its QR's link) this is")                          \
    X(PAIR, pair, HQ_F_COUNTER, 0, HQ_CHANGES, HQ_ROLE_STAFF, HQ_SCOPE_WINDOW,                     \
      "pair", "a one-time code that pairs a rating tablet with the window")                       \
    X(CLAIM, claim, HQ_F_TOKEN, 0, HQ_CHANGES, HQ_ROLE_MANAGER | HQ_ROLE_WEB, HQ_SCOPE_HALL,        \
      "claim", "a tablet's pairing code: its window and the tablet's secret")                     \
    X(TABLET_RATE, tablet_rate, HQ_F_TOKEN | HQ_F_NUMBER | HQ_F_RATING, 0, HQ_CHANGES,             \
      HQ_ROLE_MANAGER | HQ_ROLE_WEB, HQ_SCOPE_HALL,                                                \
      "tablet-rate", "a rating from a window's tablet (its secret), once per ticket")
/* clang-format on */

#endif
