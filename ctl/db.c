/* hallqctl db: see db.h. */
#include "db.h"

#include "hq_db.h"
#include "ui_exit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define S_SHOWN 20 /* problems (check) or unreadable stretches (recover) listed, at most */

typedef struct {
    ui_lang_t lang;       /* the help's language */
    const char *verb;     /* check or recover */
    const char *file;     /* the database; NULL: DIR/hallq.db */
    const char *data_dir; /* the daemon's data directory */
    const char *out;      /* recover: the new file */
    int json;             /* the result as one JSON line */
} s_opts_t;

int ctl_db_integrity_ok(sqlite3 *db)
{
    sqlite3_stmt *st;
    int ok = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
        const unsigned char *first =
            sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        ok = first && strcmp((const char *)first, "ok") == 0;
        sqlite3_finalize(st);
    }
    return ok;
}
static int s_is_damage(int rc)
{
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

static double s_seconds(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int64_t s_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static sqlite3 *s_open_source(const char *path, char *why, size_t whylen)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    /* A damaged cell is an error, not odd values. */
    sqlite3_exec(db, "PRAGMA cell_size_check=ON", NULL, NULL, NULL);
    return db;
}

/* ---- check ------------------------------------------------------------------------------- */
typedef struct {
    const char *path; /* the file checked: problems do not repeat its name */
    json_t *problems; /* the first S_SHOWN, one line each */
    long nproblems;   /* all of them */
} s_findings_t;

/* Adds the problems of one text, a line each ("*** in database main ***" lines left out). */
static void s_found(s_findings_t *f, const char *text)
{
    size_t plen = strlen(f->path);
    while (*text) {
        size_t n = strcspn(text, "\n");
        char line[400];
        snprintf(line, sizeof line, "%.*s", (int)n, text);
        text += n + (text[n] == '\n');
        if (!line[0] || strncmp(line, "***", 3) == 0)
            continue;
        f->nproblems++;
        if (json_array_size(f->problems) >= S_SHOWN)
            continue;
        const char *shown = line; /* "PATH is truncated: ..." is shown "truncated: ..." */
        if (strncmp(line, f->path, plen) == 0 && strncmp(line + plen, " is ", 4) == 0)
            shown += plen + 4;
        json_array_append_new(f->problems, json_string(shown));
    }
}

/* SQLite's side: a hallq database of a schema this hallqctl knows, integrity_check ok. */
static void s_check_sqlite(const char *path, s_findings_t *f, int64_t *tickets, int64_t *events,
                           char *epoch, size_t epochlen)
{
    char why[600];
    sqlite3 *db = s_open_source(path, why, sizeof why);
    if (!db) {
        s_found(f, why);
        return;
    }
    int64_t app_id = s_count(db, "PRAGMA application_id");
    int64_t version = s_count(db, "PRAGMA user_version");
    if (app_id != STORE_APPLICATION_ID) {
        snprintf(why, sizeof why, "%s", app_id < 0 ? sqlite3_errmsg(db) : "not a hallq database");
        s_found(f, why);
    } else if (version > STORE_SCHEMA) {
        snprintf(why, sizeof why, "schema %lld, newer than this hallqctl (%d)", (long long)version,
                 STORE_SCHEMA);
        s_found(f, why);
    } else {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(100000)", -1, &st, NULL);
        while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *row = (const char *)sqlite3_column_text(st, 0);
            if (row && strcmp(row, "ok") != 0)
                s_found(f, row);
        }
        if (rc != SQLITE_DONE)
            s_found(f, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (!f->nproblems) {
            *tickets = s_count(db, "SELECT count(*) FROM tickets");
            *events = s_count(db, "SELECT count(*) FROM events");
            sqlite3_stmt *ep = NULL;
            if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'epoch'", -1, &ep,
                                   NULL) == SQLITE_OK &&
                sqlite3_step(ep) == SQLITE_ROW && sqlite3_column_text(ep, 0))
                hq_strlcpy(epoch, (const char *)sqlite3_column_text(ep, 0), epochlen);
            sqlite3_finalize(ep);
        }
    }
    sqlite3_close(db);
}

static int s_check(const s_opts_t *o, const char *path)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "hallqctl db: %s: %s\n", path, strerror(errno));
        return UI_EXIT_FAILURE;
    }
    s_findings_t f = {path, json_array(), 0};
    hq_db_file_t file;
    char why[600];
    int64_t tickets = -1, events = -1;
    char epoch[HQ_EPOCH_LEN + 8] = ""; /* none before its first start under this hallqd */
    if (hq_db_check_file(path, &file, why, sizeof why) != 0)
        s_found(&f, why);
    /* With a header SQLite can read, its own check tells more (a short file's missing pages). */
    if (file.page_size)
        s_check_sqlite(path, &f, &tickets, &events, epoch, sizeof epoch);
    double secs = s_seconds(&t0);
    if (o->json) {
        json_t *j = json_pack("{s:s, s:b, s:I, s:O, s:f}", "file", path, "sound", !f.nproblems,
                              "problems_found", (json_int_t)f.nproblems, "problems", f.problems,
                              "seconds", secs);
        if (j && !f.nproblems) {
            json_object_set_new(j, "tickets", json_integer(tickets));
            json_object_set_new(j, "events", json_integer(events));
            json_object_set_new(j, "epoch", epoch[0] ? json_string(epoch) : json_null());
        }
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        printf("%s\n", text ? text : "{}");
        free(text);
        json_decref(j);
    } else if (!f.nproblems) {
        printf("%s is sound: integrity_check ok, %lld tickets, %lld events, %.1f MiB (%.1f s)\n",
               path, (long long)tickets, (long long)events, (double)sb.st_size / 1048576.0, secs);
        printf("epoch %s\n", epoch[0] ? epoch : "none yet (given at hallqd's next start)");
    } else {
        printf("%s is damaged: %s", path, json_string_value(json_array_get(f.problems, 0)));
        if (f.nproblems > 1)
            printf(" (and %ld more problem%s)", f.nproblems - 1, f.nproblems == 2 ? "" : "s");
        printf("\n");
        for (size_t i = 1; i < json_array_size(f.problems); i++)
            printf("  %s\n", json_string_value(json_array_get(f.problems, i)));
        printf("hallqctl db recover --out NEWFILE reads what can still be read into a new file\n");
    }
    int rc = f.nproblems ? UI_EXIT_REFUSED : UI_EXIT_OK;
    json_decref(f.problems);
    return rc;
}

/* ---- recover -------------------------------------------------------------------------------- */
typedef struct {
    const char *table;
    int present;        /* the source's schema has it */
    int64_t copied;     /* rows written into the new file */
    int64_t rejected;   /* rows read but refused by the new file's constraints */
    json_t *unreadable; /* "1201-1240", "…-88", "500": rowids of the stretches stepped over */
    long stretches;     /* all of them */
} s_table_t;

/* Where reading may go on after `after`: 1 with *next the first rowid beyond it (0: none,
 * the table ends), 0 when the seek itself meets damage, -1 on another error. */
static int s_probe(sqlite3_stmt *probe, int64_t after, int64_t *next, int *more)
{
    sqlite3_reset(probe);
    sqlite3_bind_int64(probe, 1, after);
    int rc = sqlite3_step(probe);
    *more = rc == SQLITE_ROW;
    if (*more)
        *next = sqlite3_column_int64(probe, 0);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 1 : s_is_damage(rc) ? 0 : -1;
}

static void s_unreadable(s_table_t *t, int64_t from, int64_t to)
{
    char text[64];
    t->stretches++;
    if (json_array_size(t->unreadable) >= S_SHOWN)
        return;
    if (from == INT64_MIN && to == INT64_MAX)
        snprintf(text, sizeof text, "all (the table's first page is damaged)");
    else if (from == to)
        snprintf(text, sizeof text, "%lld", (long long)from);
    else if (from == INT64_MIN)
        snprintf(text, sizeof text, "...-%lld", (long long)to);
    else if (to == INT64_MAX)
        snprintf(text, sizeof text, "%lld-...", (long long)from);
    else
        snprintf(text, sizeof text, "%lld-%lld", (long long)from, (long long)to);
    json_array_append_new(t->unreadable, json_string(text));
}

/* The smallest x > `after` from which a seek reads again: the end of the damaged page (or
 * subtree) the seeks beyond `after` run into. Doubling steps find a readable x, halving then
 * finds the smallest. INT64_MAX when nothing beyond is readable. -1 on an error that is no
 * damage. */
static int s_skip(sqlite3_stmt *probe, int64_t after, int64_t *resume)
{
    int64_t next;
    int more, ok;
    /* Unsigned: from INT64_MIN to INT64_MAX is 2^64 - 1 apart. */
    uint64_t dist = (uint64_t)INT64_MAX - (uint64_t)after, step = 1;
    int64_t bad = after, good;
    for (;;) {
        if (step > dist)
            step = dist;
        good = (int64_t)((uint64_t)after + step);
        ok = s_probe(probe, good, &next, &more);
        if (ok < 0)
            return -1;
        if (ok || step == dist)
            break;
        bad = good;
        step = step > dist / 2 ? dist : step * 2;
    }
    if (!ok) {
        *resume = INT64_MAX;
        return 0;
    }
    while ((uint64_t)good - (uint64_t)bad > 1) {
        int64_t mid = (int64_t)((uint64_t)bad + ((uint64_t)good - (uint64_t)bad) / 2);
        ok = s_probe(probe, mid, &next, &more);
        if (ok < 0)
            return -1;
        if (ok)
            good = mid;
        else
            bad = mid;
    }
    *resume = good;
    return 0;
}

/* Copies table t->table row by row in rowid order, stepping over what cannot be read. The
 * columns are those both schemas have (an older file lacks some). */
static int s_salvage(sqlite3 *src, sqlite3 *dst, s_table_t *t, char *why, size_t whylen)
{
    char cols[1024] = "", marks[256] = "", sql[1400];
    int ncols = 0;
    sqlite3_stmt *info = NULL, *has = NULL, *sel = NULL, *probe = NULL, *ins = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(dst, "SELECT name FROM pragma_table_info(?1)", -1, &info, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(src, "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2", -1,
                           &has, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "cannot read the schema: %s", sqlite3_errmsg(src));
        goto done;
    }
    sqlite3_bind_text(info, 1, t->table, -1, SQLITE_STATIC);
    while (sqlite3_step(info) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(info, 0);
        sqlite3_reset(has);
        sqlite3_bind_text(has, 1, t->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(has, 2, name, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(has) != SQLITE_ROW) {
            hq_fail(why, whylen, "cannot read the schema: %s", sqlite3_errmsg(src));
            goto done;
        }
        if (sqlite3_column_int(has, 0) == 0)
            continue;
        size_t used = strlen(cols);
        snprintf(cols + used, sizeof cols - used, "%s\"%s\"", ncols ? ", " : "", name);
        used = strlen(marks);
        snprintf(marks + used, sizeof marks - used, "%s?", ncols ? ", " : "");
        ncols++;
    }
    t->present = ncols > 0;
    if (!t->present) {
        rc = 0;
        goto done;
    }
    snprintf(sql, sizeof sql, "SELECT rowid, %s FROM main.\"%s\" WHERE rowid > ?1 ORDER BY rowid",
             cols, t->table);
    int ok = sqlite3_prepare_v2(src, sql, -1, &sel, NULL) == SQLITE_OK;
    snprintf(sql, sizeof sql,
             "SELECT rowid FROM main.\"%s\" WHERE rowid > ?1 ORDER BY rowid LIMIT 1", t->table);
    ok = ok && sqlite3_prepare_v2(src, sql, -1, &probe, NULL) == SQLITE_OK;
    if (!ok) {
        hq_fail(why, whylen, "%s: %s", t->table, sqlite3_errmsg(src));
        goto done;
    }
    snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO \"%s\"(%s) VALUES(%s)", t->table, cols, marks);
    if (sqlite3_prepare_v2(dst, sql, -1, &ins, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", t->table, sqlite3_errmsg(dst));
        goto done;
    }
    int64_t from = INT64_MIN; /* every row after it is still to be read */
    for (;;) {
        sqlite3_reset(sel);
        sqlite3_bind_int64(sel, 1, from);
        int step;
        while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
            for (int i = 0; i < ncols; i++)
                sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, i + 1));
            if (sqlite3_step(ins) != SQLITE_DONE) {
                hq_fail(why, whylen, "writing %s: %s", t->table, sqlite3_errmsg(dst));
                goto done;
            }
            sqlite3_reset(ins);
            if (sqlite3_changes(dst) == 1)
                t->copied++;
            else
                t->rejected++;
            from = sqlite3_column_int64(sel, 0);
        }
        if (step == SQLITE_DONE)
            break;
        if (!s_is_damage(step)) {
            hq_fail(why, whylen, "reading %s: %s", t->table, sqlite3_errmsg(src));
            goto done;
        }
        /* Does a seek past `from` read? Then the next row's own record is damaged: step over
         * that row. Else the damage is in the tree: step over the page or subtree. */
        int64_t next = 0, resume;
        int more, seek = s_probe(probe, from, &next, &more);
        if (seek < 0 || (seek == 0 && s_skip(probe, from, &resume) != 0)) {
            hq_fail(why, whylen, "reading %s: %s", t->table, sqlite3_errmsg(src));
            goto done;
        }
        if (seek && !more)
            break;
        if (seek) {
            s_unreadable(t, next, next);
            from = next;
        } else {
            s_unreadable(t, from == INT64_MIN ? INT64_MIN : from + 1, resume);
            if (resume == INT64_MAX)
                break;
            from = resume;
        }
    }
    rc = 0;
done:
    sqlite3_finalize(info);
    sqlite3_finalize(has);
    sqlite3_finalize(sel);
    sqlite3_finalize(probe);
    sqlite3_finalize(ins);
    return rc;
}

static void s_remove(const char *path)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    char p[4200];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* Makes `tmp` a database of the current schema holding what can be read of `src`. */
static int s_rebuild(sqlite3 *src, const char *tmp, s_table_t *tables, char *why, size_t whylen)
{
    sqlite3 *dst = NULL;
    char setup[200];
    /* No journal while it is filled: a recovery cut short leaves a file that is removed. */
    snprintf(setup, sizeof setup,
             "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
             " PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, STORE_SCHEMA);
    int rc = -1;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_exec(dst, setup, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(dst, hq_db_schema, NULL, NULL, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", tmp, dst ? sqlite3_errmsg(dst) : "cannot open");
        goto done;
    }
    for (int i = 0; tables[i].table; i++)
        if (s_salvage(src, dst, &tables[i], why, whylen) != 0)
            goto done;
    /* What was lost may include the newest events, whose seq numbers the hall then writes
     * again: the recovered history goes on under a new epoch. */
    if (sqlite3_exec(dst, hq_db_epoch_fork_sql, NULL, NULL, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", tmp, sqlite3_errmsg(dst));
        goto done;
    }
    if (sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", tmp, sqlite3_errmsg(dst));
        goto done;
    }
    if (!ctl_db_integrity_ok(dst)) {
        hq_fail(why, whylen, "%s fails its integrity check", tmp);
        goto done;
    }
    /* The daemon's journal; closing folds the log into the file and removes it. */
    if (sqlite3_exec(dst, "PRAGMA synchronous=FULL; PRAGMA journal_mode=WAL;", NULL, NULL, NULL) !=
        SQLITE_OK) {
        hq_fail(why, whylen, "%s: %s", tmp, sqlite3_errmsg(dst));
        goto done;
    }
    rc = 0;
done:
    if (sqlite3_close(dst) != SQLITE_OK && rc == 0) {
        hq_fail(why, whylen, "%s: cannot close it", tmp);
        rc = -1;
    }
    int fd = rc == 0 ? open(tmp, O_RDONLY | O_CLOEXEC) : -1;
    if (rc == 0 && (fd < 0 || fsync(fd) != 0)) {
        hq_fail(why, whylen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

static void s_print_recovery(const s_opts_t *o, const char *path, const s_table_t *tables)
{
    int64_t tickets = 0, events = 0;
    for (int i = 0; tables[i].table; i++) {
        if (strcmp(tables[i].table, "tickets") == 0)
            tickets = tables[i].copied;
        if (strcmp(tables[i].table, "events") == 0)
            events = tables[i].copied;
    }
    if (o->json) {
        json_t *list = json_array();
        for (int i = 0; tables[i].table; i++)
            json_array_append_new(
                list,
                json_pack("{s:s, s:b, s:I, s:I, s:I, s:O}", "table", tables[i].table, "present",
                          tables[i].present, "rows", (json_int_t)tables[i].copied, "rejected",
                          (json_int_t)tables[i].rejected, "unreadable_stretches",
                          (json_int_t)tables[i].stretches, "unreadable", tables[i].unreadable));
        json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:o}", "from", path, "to", o->out, "tickets",
                              (json_int_t)tickets, "events", (json_int_t)events, "tables", list);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        printf("%s\n", text ? text : "{}");
        free(text);
        json_decref(j);
        return;
    }
    printf("recovered %lld tickets and %lld events from %s into %s\n", (long long)tickets,
           (long long)events, path, o->out);
    for (int i = 0; tables[i].table; i++) {
        const s_table_t *t = &tables[i];
        printf("  %-9s %lld rows", t->table, (long long)t->copied);
        if (!t->present)
            printf("; not in the damaged file's schema");
        if (t->rejected)
            printf("; %lld rows refused by the schema (damaged values)", (long long)t->rejected);
        if (t->stretches) {
            printf("; unreadable rowids:");
            for (size_t k = 0; k < json_array_size(t->unreadable); k++)
                printf(" %s", json_string_value(json_array_get(t->unreadable, k)));
            if (t->stretches > (long)json_array_size(t->unreadable))
                printf(" and %ld more stretches",
                       t->stretches - (long)json_array_size(t->unreadable));
        }
        printf("\n");
    }
    printf("%s passes its integrity check. To use it: stop hallqd, move hallq.db and "
           "hallq.db-wal aside, and put %s in their place as hallq.db\n",
           o->out, o->out);
}

/* The directory a database file is in. */
static void s_dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        hq_strlcpy(dir, ".", n);
    else if (slash == path)
        hq_strlcpy(dir, "/", n);
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

static int s_recover(const s_opts_t *o, const char *path)
{
    char why[700], dir[4096], tmp[4200];
    struct stat sb;
    if (stat(o->out, &sb) == 0) {
        fprintf(stderr, "hallqctl db: %s exists already; choose a new file\n", o->out);
        return UI_EXIT_REFUSED;
    }
    if (o->file)
        s_dir_of(o->file, dir, sizeof dir);
    else
        hq_strlcpy(dir, o->data_dir, sizeof dir);
    if (hq_db_lock_held(dir)) {
        fprintf(stderr, "hallqctl db: hallqd is running on %s: stop it before recovering\n", dir);
        return UI_EXIT_REFUSED;
    }
    /* Held while reading: no daemon starts on the file meanwhile. */
    int lock = hq_db_lock(dir, why, sizeof why);
    if (lock < 0) {
        fprintf(stderr, "hallqctl db: %s\n", why);
        return UI_EXIT_REFUSED;
    }
    int rc = UI_EXIT_REFUSED;
    hq_db_file_t file;
    s_table_t tables[8];
    memset(tables, 0, sizeof tables);
    sqlite3 *src = NULL;
    if (hq_db_check_file(path, &file, why, sizeof why) != 0) {
        if (!file.page_size) {
            fprintf(stderr, "hallqctl db: %s; nothing to recover\n", why);
            goto done;
        }
        if (!o->json)
            fprintf(stderr, "hallqctl db: %s; reading what can be read\n", why);
    }
    src = s_open_source(path, why, sizeof why);
    if (!src) {
        fprintf(stderr, "hallqctl db: %s\n", why);
        goto done;
    }
    /* Lets SQLite read the schema of a file shorter than its header says. */
    sqlite3_exec(src, "PRAGMA writable_schema=ON", NULL, NULL, NULL);
    if (s_count(src, "SELECT count(*) FROM sqlite_master") < 0) {
        fprintf(stderr,
                "hallqctl db: cannot read the schema of %s (%s): nothing can be recovered "
                "from it; restore a backup\n",
                path, sqlite3_errmsg(src));
        goto done;
    }
    snprintf(tmp, sizeof tmp, "%s.part", o->out);
    if (stat(tmp, &sb) == 0) {
        fprintf(stderr, "hallqctl db: %s exists (a recovery cut short?): remove it first\n", tmp);
        goto done;
    }
    for (int i = 0; hq_db_tables[i]; i++) {
        tables[i].table = hq_db_tables[i];
        tables[i].unreadable = json_array();
    }
    if (s_rebuild(src, tmp, tables, why, sizeof why) != 0) {
        fprintf(stderr, "hallqctl db: %s\n", why);
        s_remove(tmp);
        rc = UI_EXIT_FAILURE;
        goto done;
    }
    /* link() never replaces: a file made meanwhile under the name is left alone. */
    if (link(tmp, o->out) != 0) {
        fprintf(stderr, "hallqctl db: %s: %s\n", o->out, strerror(errno));
        s_remove(tmp);
        rc = UI_EXIT_FAILURE;
        goto done;
    }
    unlink(tmp);
    s_print_recovery(o, path, tables);
    rc = UI_EXIT_OK;
done:
    for (int i = 0; tables[i].table; i++)
        json_decref(tables[i].unreadable);
    sqlite3_close(src);
    close(lock);
    return rc;
}

/* ---- the command line ------------------------------------------------------------------------ */
#define S_AT(field) offsetof(s_opts_t, field)

static const ui_option_t s_options[] = {
    {.name = "data",
     .arg = "DIR",
     .help = {"hallqd 的数据目录（默认 $HALLQ_DATA，否则 hallq-data）",
              "the daemon's data directory (default $HALLQ_DATA, else hallq-data)"},
     .set = ui_set_string,
     .at = S_AT(data_dir)},
    {.name = "out",
     .arg = "FILE",
     .help = {"recover：写入的新文件（不能已存在）",
              "recover: the new file to write (must not exist)"},
     .set = ui_set_string,
     .at = S_AT(out)},
    {.name = "json",
     .help = {"结果输出为一行 JSON", "print the result as one JSON line"},
     .set = ui_set_flag,
     .at = S_AT(json)},
    {0},
};

static int s_word(void *settings, const char *word, char *why, size_t whylen)
{
    s_opts_t *o = settings;
    if (!o->verb) {
        if (strcmp(word, "check") != 0 && strcmp(word, "recover") != 0)
            return hq_fail(why, whylen, "unknown db verb '%s' (check or recover)", word);
        o->verb = word;
        return 0;
    }
    if (o->file)
        return hq_fail(why, whylen, "unexpected '%s': one database at a time", word);
    o->file = word;
    return 0;
}

static int s_check_opts(void *settings, char *why, size_t whylen)
{
    const s_opts_t *o = settings;
    if (!o->verb)
        return hq_fail(why, whylen, "name a verb: check or recover");
    if (strcmp(o->verb, "recover") == 0 && !o->out)
        return hq_fail(why, whylen, "recover needs --out NEWFILE (a file that does not exist)");
    if (strcmp(o->verb, "check") == 0 && o->out)
        return hq_fail(why, whylen, "--out goes with recover, not check");
    return 0;
}

const ui_program_t ctl_db_cli = {
    .name = "hallqctl db",
    .synopsis = {"check|recover [文件] [选项]", "check|recover [FILE] [options]"},
    .about = {"检查大厅数据库，或把损坏的数据库中还能读出的内容恢复到新文件：\n"
              "  check    与 hallqd 启动时相同的文件检查，再加 SQLite 完整性检查\n"
              "           （含索引与表是否一致）；只读，hallqd 运行时也可执行\n"
              "  recover  按行读出每张表，跳过损坏的页，写入 --out 指定的新文件；\n"
              "           新文件为当前结构，hallqd 可直接使用；hallqd 运行时拒绝执行\n"
              "文件默认为 --data 目录下的 hallq.db。",
              "Checks the hall's database, or reads what can still be read of a damaged one\n"
              "into a new file:\n"
              "  check    the checks of the file hallqd makes at its start, then SQLite's\n"
              "           integrity check (indexes against their tables too); read only, so\n"
              "           it may run while hallqd serves\n"
              "  recover  reads each table row by row, stepping over damaged pages, into the\n"
              "           new file --out names, of the current schema, which hallqd accepts;\n"
              "           refused while hallqd runs on the directory\n"
              "FILE defaults to hallq.db in the --data directory."},
    .epilog = {"退出状态：0 完好或已恢复，1 数据库损坏或拒绝执行，2 参数错误，4 失败。",
               "Exit status: 0 sound or recovered, 1 damaged or refused, 2 bad arguments, "
               "4 failed."},
    .options = s_options,
    .lang_at = S_AT(lang),
    .operand = s_word,
    .check = s_check_opts,
};

int hallqctl_db_main(int argc, char **argv)
{
    s_opts_t o;
    memset(&o, 0, sizeof o);
    o.lang = UI_LANG_ZH;
    o.data_dir = ui_env_or("HALLQ_DATA", "hallq-data");
    int rc = ui_options_parse(&ctl_db_cli, argc, argv, &o);
    if (rc != UI_OPTIONS_RUN)
        return rc;
    char path[4200];
    if (o.file)
        hq_strlcpy(path, o.file, sizeof path);
    else
        snprintf(path, sizeof path, "%s/%s", o.data_dir, STORE_FILE);
    return strcmp(o.verb, "check") == 0 ? s_check(&o, path) : s_recover(&o, path);
}
