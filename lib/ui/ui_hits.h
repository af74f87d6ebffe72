/* ui_hits: where a screen drew the things a click or a touch may choose, so a pointer does
 * what a key does. A screen's view adds a zone for each action it draws (a footer key, a row
 * of a list, a button) with the key that action answers to; the terminal layer turns a
 * click at (row, col) into that key and hands it on as if it were typed. Keys stay the one
 * way into a program's state machine, and what a click means is decided where the screen is
 * laid out, from the same facts. Pure: no curses (ui_mouse.h reads the clicks).
 *
 *     ui_hits_clear(&view->hits);                        // each time the view is laid out
 *     ui_hits_add(&view->hits, row, col, width, 'c');    // "c 叫号" drawn there
 *     int key = ui_hits_find(&view->hits, row, col);     // -1: nothing there */
#ifndef HQ_UI_HITS_H
#define HQ_UI_HITS_H

#define UI_HITS_MAX 96 /* zones of one screen: a footer, a list and a few buttons */

typedef struct {
    short row;   /* screen row */
    short col;   /* first column */
    short width; /* columns it covers */
    int key;     /* the key a click there stands for */
} ui_hit_t;

typedef struct {
    int n;
    ui_hit_t hit[UI_HITS_MAX];
} ui_hits_t;

void ui_hits_clear(ui_hits_t *h);
/* A zone of `width` columns from (row, col) that answers to `key`. 0, or -1 when it covers
 * nothing (width < 1, negative row or column) or the table is full (the zone is left out:
 * its key still works). */
int ui_hits_add(ui_hits_t *h, int row, int col, int width, int key);
/* The key of the zone covering (row, col), the latest added when zones overlap; -1 none. */
int ui_hits_find(const ui_hits_t *h, int row, int col);

#endif
