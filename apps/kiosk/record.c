/* record: see record.h. */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define S_RECORD_VERSION 1
/* A kept ticket is a few kilobytes; anything much larger is not ours. */
#define S_RECORD_MAX_BYTES (256 * 1024)
/* A day of a busy kiosk: a thousand tickets of a few kilobytes. */
#define S_JOURNAL_MAX_BYTES (16 * 1024 * 1024)

json_t *record_new(const json_t *issue_reply, const catalog_t *cat)
{
    hq_ticket_t t;
    hq_error_t err;
    if (!json_is_object(issue_reply) ||
        hq_ticket_from_json(json_object_get(issue_reply, "ticket"), &t, &err) != HQ_OK ||
        !t.label[0])
        return NULL;
    json_t *materials = json_array();
    const catalog_service_t *svc = t.service ? catalog_service(cat, t.service) : NULL;
    for (size_t i = 0; svc && i < svc->nmaterials && i < RECORD_MATERIALS_MAX; i++)
        json_array_append_new(materials, json_string(svc->materials[i]));
    /* deep copy: the caller's reply may go on being used and freed on its own */
    return json_pack("{s:i, s:o, s:{s:s, s:s, s:s, s:o, s:s}}", "v", S_RECORD_VERSION, "reply",
                     json_deep_copy(issue_reply), "print", "hall", cat->hall_name, "footer",
                     cat->footer, "timezone", cat->timezone, "materials", materials, "web_base_url",
                     cat->web_base_url ? cat->web_base_url : "");
}

json_t *record_sample(const catalog_t *cat, char queue, int service, int green, const char *day,
                      int64_t now_ms)
{
    const catalog_queue_t *q = catalog_queue(cat, queue);
    const catalog_service_t *svc = service ? catalog_service(cat, service) : NULL;
    if (!q)
        return NULL;
    hq_ticket_t t;
    memset(&t, 0, sizeof t);
    hq_strlcpy(t.day, day, sizeof t.day);
    t.prefix = t.queue = queue;
    snprintf(t.label, sizeof t.label, "%c000", queue); /* a number no queue issues */
    t.service = svc ? svc->no : 0;
    t.green = green;
    t.state = HQ_T_WAITING;
    t.issued_ms = now_ms;
    json_t *reply = json_pack("{s:o, s:s, s:s}", "ticket", hq_ticket_to_json(&t), "queue_name",
                              q->name, "service_name", svc ? svc->name : "");
    json_t *record = reply ? record_new(reply, cat) : NULL;
    json_decref(reply);
    if (record && json_object_set_new(json_object_get(record, "print"), "sample", json_true()) != 0)
        json_decref(record), record = NULL;
    return record;
}

static const char *s_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

int record_info(const json_t *record, record_info_t *info, char *why, size_t whylen)
{
    memset(info, 0, sizeof *info);
    const json_t *v = json_object_get(record, "v");
    const json_t *reply = json_object_get(record, "reply");
    if (!json_is_integer(v) || json_integer_value(v) != S_RECORD_VERSION ||
        !json_is_object(reply)) {
        snprintf(why, whylen, "kept ticket is not a version %d record", S_RECORD_VERSION);
        return -1;
    }
    hq_error_t err;
    if (hq_ticket_from_json(json_object_get(reply, "ticket"), &info->ticket, &err) != HQ_OK ||
        !info->ticket.label[0] || !info->ticket.day[0]) {
        snprintf(why, whylen, "kept ticket is malformed: %s", err.message);
        return -1;
    }
    const json_t *ahead = json_object_get(reply, "ahead");
    const json_t *wait = json_object_get(reply, "est_wait_ms");
    info->ahead = json_is_integer(ahead) && json_integer_value(ahead) >= 0
                      ? (int)json_integer_value(ahead)
                      : -1;
    info->est_wait_min = json_is_integer(wait) ? ticket_wait_minutes(json_integer_value(wait)) : -1;
    info->queue_name = s_str(reply, "queue_name");
    info->service_name = s_str(reply, "service_name");
    info->timezone = s_str(json_object_get(record, "print"), "timezone");
    /* A checked-in appointment is called by its slot: the ticket shows the slot, not a place
     * in a lane nor the estimate the reply carries (the citizen plans by the slot). */
    if (info->ticket.slot_ms > 0) {
        time_t secs = (time_t)(info->ticket.slot_ms / 1000);
        struct tm tm;
        if (localtime_r(&secs, &tm))
            strftime(info->slot, sizeof info->slot, "%H:%M", &tm);
        info->ahead = -1;
        info->est_wait_min = -1;
    }
    return 0;
}

int record_facts(const json_t *record, ui_lang_t lang, int paper_mm, int reprint,
                 record_print_t *out, char *why, size_t whylen)
{
    record_info_t info;
    memset(out, 0, sizeof *out);
    if (record_info(record, &info, why, whylen) != 0)
        return -1;
    const json_t *print = json_object_get(record, "print");
    const hq_ticket_t *t = &info.ticket;
    /* The QR opens the ticket's progress page where the hall has hallq-web. */
    const char *base_url = s_str(print, "web_base_url");
    const char *token = s_str(json_object_get(record, "reply"), "web_token");
    if (base_url[0] && token[0]) {
        int len = snprintf(out->qr, sizeof out->qr, "%s/t/%s", base_url, token);
        if (len < 0 || (size_t)len >= sizeof out->qr) {
            snprintf(why, whylen, "kept ticket's web link is too long");
            return -1;
        }
    } else if (ticket_qr_payload(t->day, t->label, t->id, out->qr, sizeof out->qr) != 0) {
        snprintf(why, whylen, "kept ticket has a malformed day or number");
        return -1;
    }
    time_t secs = (time_t)(t->issued_ms / 1000);
    struct tm tm;
    if (t->issued_ms <= 0 || !localtime_r(&secs, &tm) ||
        strftime(out->issued_at, sizeof out->issued_at, "%Y-%m-%d %H:%M", &tm) == 0)
        out->issued_at[0] = '\0';

    const json_t *mats = json_object_get(print, "materials");
    size_t n = 0, i;
    json_t *m;
    json_array_foreach(mats, i, m)
    {
        if (json_is_string(m) && n < RECORD_MATERIALS_MAX)
            out->materials[n++] = json_string_value(m);
    }
    ticket_facts_t *f = &out->facts;
    f->hall_name = s_str(print, "hall");
    f->queue_name = info.queue_name;
    f->service_name = info.service_name;
    hq_strlcpy(out->label, t->label, sizeof out->label);
    f->label = out->label;
    f->green = t->green;
    f->reprint = reprint;
    f->sample = json_is_true(json_object_get(print, "sample"));
    f->ahead = info.ahead;
    f->est_wait_min = info.est_wait_min;
    f->issued_at = out->issued_at;
    hq_strlcpy(out->slot, info.slot, sizeof out->slot);
    f->slot = out->slot;
    f->materials = out->materials;
    f->nmaterials = n;
    f->qr_payload = out->qr;
    /* The hall's footer is written in Chinese; an English ticket keeps the English default. */
    f->footer = lang == UI_LANG_ZH ? s_str(print, "footer") : NULL;
    f->lang = lang;
    f->paper_mm = paper_mm;
    return 0;
}

/* A file of the state folder: DIR/name, else $XDG_STATE_HOME/hallq/name, else
 * $HOME/.local/state/hallq/name. */
static int s_state_file(const char *dir, const char *name, char *out, size_t outlen)
{
    int n;
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (dir && *dir)
        n = snprintf(out, outlen, "%s/%s", dir, name);
    else if (xdg && *xdg == '/')
        n = snprintf(out, outlen, "%s/hallq/%s", xdg, name);
    else if (home && *home)
        n = snprintf(out, outlen, "%s/.local/state/hallq/%s", home, name);
    else
        return -1;
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int record_state_path(const char *dir, char *out, size_t outlen)
{
    return s_state_file(dir, RECORD_FILE_NAME, out, outlen);
}

int record_journal_path(const char *dir, char *out, size_t outlen)
{
    return s_state_file(dir, RECORD_JOURNAL_NAME, out, outlen);
}

/* mkdir -p for the directory part of path, new directories 0700. */
static int s_mkdirs_for(const char *path)
{
    char dir[1024];
    if (hq_strlcpy(dir, path, sizeof dir) != 0)
        return -1;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int record_save(const char *path, const json_t *record, char *why, size_t whylen)
{
    char tmp[1100];
    char *text = NULL;
    int fd = -1;
    if (s_mkdirs_for(path) != 0) {
        snprintf(why, whylen, "cannot create the folder of %s: %s", path, strerror(errno));
        return -1;
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(why, whylen, "state path %s is too long", path);
        return -1;
    }
    text = json_dumps(record, JSON_COMPACT);
    if (!text) {
        snprintf(why, whylen, "cannot encode the ticket record");
        return -1;
    }
    /* 0600 from the start: the file names a citizen's ticket and green-lane status. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        goto fail;
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        done += (size_t)n;
    }
    /* fsync before rename: after a power cut the kept ticket is the old one or the new one,
     * never an empty file. */
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(text);
    return 0;
fail:
    snprintf(why, whylen, "cannot keep the ticket in %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(text);
    return -1;
}

json_t *record_load(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            snprintf(why, whylen, "no ticket has been issued here yet (%s)", path);
        else
            snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > S_RECORD_MAX_BYTES) {
        snprintf(why, whylen, "%s is not a kept ticket", path);
        close(fd);
        return NULL;
    }
    json_error_t jerr;
    json_t *record = json_loadfd(fd, 0, &jerr);
    close(fd);
    record_info_t info;
    if (!record) {
        snprintf(why, whylen, "%s is damaged: %s", path, jerr.text);
        return NULL;
    }
    if (record_info(record, &info, why, whylen) != 0) {
        json_decref(record);
        return NULL;
    }
    return record;
}

/* The day of the journal's first record, "" when there is none (or it is no record). */
static void s_journal_day(const char *path, char *day, size_t n)
{
    day[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    if (getline(&line, &cap, f) > 0) {
        json_t *record = json_loads(line, 0, NULL);
        record_info_t info;
        char why[128];
        if (record && record_info(record, &info, why, sizeof why) == 0)
            hq_strlcpy(day, info.ticket.day, n);
        json_decref(record);
    }
    free(line);
    fclose(f);
}

int record_journal_add(const char *path, const json_t *record, char *why, size_t whylen)
{
    record_info_t info;
    char day[16];
    if (record_info(record, &info, why, whylen) != 0)
        return -1;
    if (s_mkdirs_for(path) != 0) {
        snprintf(why, whylen, "cannot create the folder of %s: %s", path, strerror(errno));
        return -1;
    }
    /* One day's tickets: a journal of another day is started afresh. */
    s_journal_day(path, day, sizeof day);
    int fresh = strcmp(day, info.ticket.day) != 0;
    char *text = json_dumps(record, JSON_COMPACT);
    if (!text) {
        snprintf(why, whylen, "cannot encode the ticket record");
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (fresh ? O_TRUNC : O_APPEND),
                  0600);
    int rc = fd < 0 ? -1 : 0;
    size_t len = strlen(text), done = 0;
    text[len] = '\n'; /* json_dumps' NUL becomes the line's end */
    while (rc == 0 && done < len + 1) {
        ssize_t w = write(fd, text + done, len + 1 - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            done += (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    free(text);
    if (rc != 0)
        snprintf(why, whylen, "cannot keep today's tickets in %s: %s", path, strerror(saved));
    return rc;
}

json_t *record_journal_load(const char *path, const char *day, char *why, size_t whylen)
{
    json_t *records = json_array();
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return records; /* none yet */
    struct stat st;
    FILE *f = NULL;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > S_JOURNAL_MAX_BYTES ||
        !(f = fdopen(fd, "r"))) {
        snprintf(why, whylen, "cannot read today's tickets in %s: %s", path,
                 fd < 0 ? strerror(errno) : "not a file of ours");
        if (fd >= 0)
            close(fd);
        json_decref(records);
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *record = json_loads(line, 0, NULL);
        record_info_t info;
        char ignored[128];
        /* A line cut by a power failure is no record: the others stand. */
        if (record && record_info(record, &info, ignored, sizeof ignored) == 0 &&
            (!day || strcmp(info.ticket.day, day) == 0))
            json_array_append(records, record);
        json_decref(record);
    }
    free(line);
    fclose(f);
    return records;
}
