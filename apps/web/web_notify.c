/* web_notify: see web_notify.h. */
#include "web_notify.h"

#include "hq_log.h"
#include "hq_proto.h"

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

/* Runs HOOK TICKET TEXT, the contact and link in the environment. */
static void s_exec(web_notify_t *self, const s_msg_t *m)
{
    char contact[96], link[300];
    snprintf(contact, sizeof contact, "HALLQ_CONTACT=%s", m->contact);
    snprintf(link, sizeof link, "HALLQ_LINK=%s", m->link);
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 3, sizeof *env);
    if (!env)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "HALLQ_CONTACT=", 14) != 0 &&
            strncmp(environ[i], "HALLQ_LINK=", 11))
            env[k++] = environ[i];
    env[k++] = contact;
    env[k++] = link;
    char *argv[] = {self->hook, (char *)m->ticket, (char *)m->text, NULL};
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
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "ticket", m->ticket, "text", m->text,
                             "contact", m->contact, "link", m->link);
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

void web_notify_send(web_notify_t *self, const char *ticket, const char *text, const char *contact,
                     const char *link)
{
    pthread_mutex_lock(&self->lock);
    if (self->count == S_QUEUE_MAX) {
        pthread_mutex_unlock(&self->lock);
        hq_warn("notifier: %d messages waiting, %s dropped", S_QUEUE_MAX, ticket);
        return;
    }
    s_msg_t *m = &self->queue[(self->head + self->count) % S_QUEUE_MAX];
    snprintf(m->ticket, sizeof m->ticket, "%s", ticket);
    snprintf(m->text, sizeof m->text, "%s", text);
    snprintf(m->contact, sizeof m->contact, "%s", contact);
    snprintf(m->link, sizeof m->link, "%s", link);
    self->count++;
    pthread_cond_signal(&self->wake);
    pthread_mutex_unlock(&self->lock);
}
