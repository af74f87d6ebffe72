/* The periodic jobs of hallqd's loop (server.c runs them on its timers): the heartbeat, the
 * day check and its rollover, the booking sweep, queue alerts and the alert hook, and the
 * metric entry. Each runs in its own transaction. */
#include "server_int.h"

#include "hq_date.h"
#include "hq_log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every heartbeat_ms of real time: screens judge hallqd's silence by it. */
void server_heartbeat(server_t *self, int64_t now)
{
    /* A certificate edited in place changes no directory: look at the files once a beat. */
    if (self->auth && auth_refresh(self->auth, 1) > 0)
        server_cut_off(self);
    char body[96];
    snprintf(body, sizeof body, "{\"seq\":%lld,\"ts_ms\":%lld}", (long long)hall_seq(self->hall),
             (long long)now);
    server_publish_text(self, "heartbeat", body);
}

/* Once a second of the hall's time: at the hall's midnight the business day turns, and the
 * open tickets of earlier days expire. */
void server_check_day(server_t *self, int64_t now_ms)
{
    if (!server_fresh(self, now_ms))
        return;
    char day[HQ_DATE_TEXT_MAX];
    hq_date_format(hq_date_local(now_ms), day);
    hall_result_t r;
    hall_result_init(&r);
    if (hall_rollover(self->hall, day, now_ms, &r)) {
        if (server_commit_result(self, &r, now_ms, NULL) == 0) {
            hq_info("business day %s: %d open ticket(s) of earlier days expired", day, r.expired);
            hall_compact(self->hall);
        }
    }
    hall_result_clear(&r);
}

/* Bookings nobody checked in by slot start + late_min become no-shows, one transaction and
 * one booking event each (at most a handful a minute in a real hall). */
void server_booking_sweep(server_t *self, int64_t now)
{
    if (!server_fresh(self, now))
        return;
    for (int n = 0; n < 1000; n++) {
        hall_result_t r;
        hall_result_init(&r);
        int swept = hall_booking_sweep(self->hall, now, &r);
        int rc = swept ? server_commit_result(self, &r, now, NULL) : 0;
        const hq_booking_t *b = swept ? hall_booking(self->hall, r.booking) : NULL;
        if (swept && rc == 0 && b)
            hq_info("booking %s (%c, %s slot %02d:%02d) not checked in: no-show", b->code, b->queue,
                    b->day, b->slot / 60, b->slot % 60);
        hall_result_clear(&r);
        if (!swept || rc != 0)
            break;
    }
}

/* The [alerts] hook: an executable run for each alert raised or cleared, without waiting for
 * it (a slow notifier never holds the hall up). Its arguments: raised|cleared, the queue,
 * wait|handling, the figure and the target in whole minutes, the advice; the event's JSON in
 * $HALLQ_ALERT. Finished hooks are reaped at the next tick. */
static void s_run_hook(server_t *self, const hall_alert_t *a, const char *json)
{
    const char *hook = self->cfg->alerts.hook;
    if (!hook[0])
        return;
    char queue[2] = {a->queue, 0}, value[24], target[24], env_alert[2048];
    snprintf(value, sizeof value, "%lld", (long long)(a->value_ms / 60000));
    snprintf(target, sizeof target, "%lld", (long long)(a->target_ms / 60000));
    snprintf(env_alert, sizeof env_alert, "HALLQ_ALERT=%s", json ? json : "{}");
    char *argv[] = {(char *)hook,
                    (char *)(a->raised ? "raised" : "cleared"),
                    queue,
                    (char *)(a->kind == HALL_ALERT_WAIT ? "wait" : "handling"),
                    value,
                    target,
                    (char *)a->advice,
                    NULL};
    char *envp[] = {env_alert, "PATH=/usr/local/bin:/usr/bin:/bin", NULL};
    /* Everything is made before the fork: the child only execs (or exits at once). */
    pid_t pid = fork();
    if (pid == 0) {
        execve(hook, argv, envp);
        _exit(127);
    }
    if (pid < 0)
        hq_warn("alert hook %s could not be run: %s", hook, strerror(errno));
}

/* Queue alerts raised or cleared (hall_alert_tick), one transaction and one event each; the
 * hook hears of each one committed. */
void server_alerts(server_t *self, int64_t now)
{
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ; /* hooks that finished */
    if (!server_fresh(self, now))
        return;
    for (int n = 0; n < 2 * HQ_QUEUES_MAX * HALL_ALERT_KINDS; n++) {
        hall_result_t r;
        hall_result_init(&r);
        int changed = hall_alert_tick(self->hall, now, &r);
        hall_alert_t a = r.alert;
        int rc = changed ? server_commit_result(self, &r, now, NULL) : 0;
        if (changed && rc == 0) {
            hq_log(a.raised ? HQ_LOG_WARN : HQ_LOG_INFO,
                   "alert %s: queue %c %s %lld min (target %lld min), advice %s",
                   a.raised ? "raised" : "cleared", a.queue,
                   a.kind == HALL_ALERT_WAIT ? "longest wait" : "mean handling",
                   (long long)(a.value_ms / 60000), (long long)(a.target_ms / 60000), a.advice);
            s_run_hook(self, &a, self->last_alert_json);
        }
        hall_result_clear(&r);
        if (!changed || rc != 0)
            break;
    }
}

/* Every metric_interval_s of the hall's time, and once more at shutdown: the metric's entry
 * in the store, and its line in the log. */
void server_log_metric(server_t *self, int64_t now_ms)
{
    if (!server_fresh(self, now_ms))
        return;
    hall_result_t r;
    hall_result_init(&r);
    hall_metric_tick(self->hall, &r);
    json_t *rows = hall_wire_metric_rows(self->hall);
    if (!rows)
        r.oom = 1;
    const json_t *hall_row = json_object_get(json_array_get(rows, 0), "metric");
    int64_t count = json_integer_value(json_object_get(hall_row, "count"));
    int64_t avg = json_integer_value(json_object_get(hall_row, "avg_ms"));
    int64_t within = json_integer_value(json_object_get(hall_row, "within"));
    int64_t target = (int64_t)self->cfg->handling_target_min * 60000;
    if (server_commit_result(self, &r, now_ms, rows) == 0) {
        if (count == 0)
            hq_info("metric: no instant item finished yet today (target %d min)",
                    self->cfg->handling_target_min);
        else
            hq_log(avg > target ? HQ_LOG_WARN : HQ_LOG_INFO,
                   "metric: instant items average %lld:%02lld over %lld ticket(s), %lld%% within "
                   "%d min%s",
                   (long long)(avg / 60000), (long long)(avg / 1000 % 60), (long long)count,
                   (long long)(within * 100 / count), self->cfg->handling_target_min,
                   avg > target ? " - ABOVE TARGET" : "");
    }
    json_decref(rows);
    hall_result_clear(&r);
}
