/* web_notify: see web_notify.h. */
#include "web_notify.h"

#include "hq_log.h"
#include "hq_proto.h"
#include "web_texts.h"

#include <errno.h>
#include <jansson.h>
#include <netdb.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define S_QUEUE_MAX 1024
#define S_TIMEOUT_S 5

extern char **environ;

typedef struct {
    char alert[768]; /* a queue alert's JSON; "" a ticket's message */
    char ticket[HQ_LABEL_MAX];
    char text[256];
    char contact[64];
    char link[256];
} s_msg_t;

struct web_notify {
    char *hook;
    int url; /* the hook is an http:// URL */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    s_msg_t queue[S_QUEUE_MAX];
    size_t head, count;
    int stopping;
};

/* Runs HOOK TICKET TEXT (HOOK alert TEXT), the kind, contact and link (the alert) in the
 * environment. */
static void s_exec(web_notify_t *self, const s_msg_t *m)
{
    char contact[96], link[300], kind[40], alert[800];
    snprintf(contact, sizeof contact, "HALLQ_CONTACT=%s", m->contact);
    snprintf(link, sizeof link, "HALLQ_LINK=%s", m->link);
    snprintf(kind, sizeof kind, "HALLQ_KIND=%s", m->alert[0] ? "queue_alert" : "ticket");
    snprintf(alert, sizeof alert, "HALLQ_ALERT=%s", m->alert);
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 5, sizeof *env);
    if (!env)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "HALLQ_CONTACT=", 14) != 0 &&
            strncmp(environ[i], "HALLQ_LINK=", 11) != 0 &&
            strncmp(environ[i], "HALLQ_KIND=", 11) != 0 &&
            strncmp(environ[i], "HALLQ_ALERT=", 12) != 0)
            env[k++] = environ[i];
    env[k++] = contact;
    env[k++] = link;
    env[k++] = kind;
    if (m->alert[0])
        env[k++] = alert;
    char *argv[] = {self->hook, (char *)(m->alert[0] ? "alert" : m->ticket), (char *)m->text, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, self->hook, NULL, NULL, argv, env);
    free(env);
    if (rc != 0) {
        hq_warn("notifier hook %s: %s", self->hook, strerror(rc));
        return;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        hq_warn("notifier hook %s failed for %s (status %d)", self->hook, m->ticket, status);
    else
        hq_info("notified %s through the hook", m->ticket);
}

/* POSTs the message as JSON to http://HOST[:PORT]/PATH. */
static void s_post(web_notify_t *self, const s_msg_t *m)
{
    char host[256], port[8] = "80";
    const char *rest = self->hook + 7;
    const char *slash = strchr(rest, '/');
    const char *path = slash ? slash : "/";
    size_t hl = slash ? (size_t)(slash - rest) : strlen(rest);
    if (hl >= sizeof host)
        return;
    memcpy(host, rest, hl);
    host[hl] = '\0';
    char *colon = strrchr(host, ':');
    if (colon) {
        snprintf(port, sizeof port, "%.7s", colon + 1);
        *colon = '\0';
    }
    json_t *body =
        m->alert[0] ? json_pack("{s:s, s:o, s:s}", "kind", "queue_alert", "alert",
                                json_loads(m->alert, 0, NULL), "text", m->text)
                    : json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "ticket", "ticket", m->ticket,
                                "text", m->text, "contact", m->contact, "link", m->link);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    int fd = -1, ok = 0;
    if (text && getaddrinfo(host, port, &hints, &ai) == 0) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        struct timeval tv = {S_TIMEOUT_S, 0};
        if (fd >= 0) {
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        }
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            char head[600];
            int n = snprintf(head, sizeof head,
                             "POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: application/json; "
                             "charset=utf-8\r\nContent-Length: %zu\r\n\r\n",
                             path, host, strlen(text));
            char status[64] = "";
            if (send(fd, head, (size_t)n, MSG_NOSIGNAL) == n &&
                send(fd, text, strlen(text), MSG_NOSIGNAL) == (ssize_t)strlen(text) &&
                recv(fd, status, sizeof status - 1, 0) > 0)
                ok = strncmp(status, "HTTP/1.", 7) == 0 && status[9] == '2';
        }
    }
    if (ai)
        freeaddrinfo(ai);
    if (fd >= 0)
        close(fd);
    free(text);
    if (ok)
        hq_info("notified %s through %s", m->ticket, self->hook);
    else
        hq_warn("notifier hook %s did not take the message for %s", self->hook, m->ticket);
}

static void *s_run(void *arg)
{
    web_notify_t *self = arg;
    pthread_mutex_lock(&self->lock);
    for (;;) {
        while (!self->count && !self->stopping)
            pthread_cond_wait(&self->wake, &self->lock);
        if (!self->count)
            break;
        s_msg_t m = self->queue[self->head];
        self->head = (self->head + 1) % S_QUEUE_MAX;
        self->count--;
        pthread_mutex_unlock(&self->lock);
        if (self->url)
            s_post(self, &m);
        else
            s_exec(self, &m);
        pthread_mutex_lock(&self->lock);
    }
    pthread_mutex_unlock(&self->lock);
    return NULL;
}

web_notify_t *web_notify_new(const char *hook, char *why, size_t whylen)
{
    int url = strncmp(hook, "http://", 7) == 0;
    if (!url && access(hook, X_OK) != 0) {
        snprintf(why, whylen, "--notify-hook %s is neither an executable nor an http:// URL: %s",
                 hook, strerror(errno));
        return NULL;
    }
    web_notify_t *self = calloc(1, sizeof *self);
    if (!self || !(self->hook = strdup(hook))) {
        free(self);
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    self->url = url;
    pthread_mutex_init(&self->lock, NULL);
    pthread_cond_init(&self->wake, NULL);
    if (pthread_create(&self->thread, NULL, s_run, self) != 0) {
        snprintf(why, whylen, "cannot start the notifier's thread");
        free(self->hook);
        free(self);
        return NULL;
    }
    return self;
}

void web_notify_destroy(web_notify_t **self_p)
{
    web_notify_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    pthread_mutex_lock(&self->lock);
    self->stopping = 1;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
    pthread_join(self->thread, NULL);
    pthread_mutex_destroy(&self->lock);
    pthread_cond_destroy(&self->wake);
    free(self->hook);
    free(self);
    *self_p = NULL;
}

/* Queues one message; `alert` "" for a ticket's. */
static void s_queue(web_notify_t *self, const char *alert, const char *ticket, const char *text,
                    const char *contact, const char *link)
{
    pthread_mutex_lock(&self->lock);
    if (self->count == S_QUEUE_MAX) {
        pthread_mutex_unlock(&self->lock);
        hq_warn("notifier: %d messages waiting, %s dropped", S_QUEUE_MAX, ticket);
        return;
    }
    s_msg_t *m = &self->queue[(self->head + self->count) % S_QUEUE_MAX];
    snprintf(m->alert, sizeof m->alert, "%s", alert);
    snprintf(m->ticket, sizeof m->ticket, "%s", ticket);
    snprintf(m->text, sizeof m->text, "%s", text);
    snprintf(m->contact, sizeof m->contact, "%s", contact);
    snprintf(m->link, sizeof m->link, "%s", link);
    self->count++;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
}

void web_notify_send(web_notify_t *self, const char *ticket, const char *text, const char *contact,
                     const char *link)
{
    s_queue(self, "", ticket, text, contact, link);
}

void web_notify_alert(web_notify_t *self, const json_t *alert, const char *text)
{
    char *json = json_dumps(alert, JSON_COMPACT);
    if (!json || strlen(json) >= sizeof((s_msg_t *)0)->alert) {
        hq_warn("notifier: a queue alert too large to send, dropped");
        free(json);
        return;
    }
    const char *queue = json_string_value(json_object_get(alert, "queue"));
    char what[HQ_LABEL_MAX];
    snprintf(what, sizeof what, "alert %.1s", queue ? queue : "?");
    s_queue(self, json, what, text, "", "");
    free(json);
}

void web_notify_alert_text(const json_t *alert, ui_lang_t lang, char *out, size_t outlen)
{
    const char *queue = json_string_value(json_object_get(alert, "queue"));
    const char *kind = json_string_value(json_object_get(alert, "kind"));
    const char *state = json_string_value(json_object_get(alert, "state"));
    const char *advice = json_string_value(json_object_get(alert, "advice"));
    int handling = kind && strcmp(kind, "handling") == 0;
    queue = queue ? queue : "?";
    if (!state || strcmp(state, "raised") != 0) {
        snprintf(out, outlen, wt(WT_ALERT_CLEARED, lang), queue,
                 wt(handling ? WT_ALERT_OF_HANDLING : WT_ALERT_OF_WAIT, lang));
        return;
    }
    const char *help = !advice                              ? ""
                       : strcmp(advice, "open_window") == 0 ? wt(WT_ADVICE_OPEN, lang)
                       : strcmp(advice, "take_over") == 0   ? wt(WT_ADVICE_TAKE_OVER, lang)
                                                            : "";
    snprintf(out, outlen, wt(handling ? WT_ALERT_HANDLING : WT_ALERT_WAIT, lang), queue,
             (int)(json_integer_value(json_object_get(alert, "value_ms")) / 60000),
             (int)(json_integer_value(json_object_get(alert, "target_ms")) / 60000), help);
}
