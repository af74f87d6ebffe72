/* ui_hits: see ui_hits.h. */
#include "ui_hits.h"

void ui_hits_clear(ui_hits_t *h)
{
    h->n = 0;
}

int ui_hits_add(ui_hits_t *h, int row, int col, int width, int key)
{
    if (width < 1 || row < 0 || col < 0 || h->n >= UI_HITS_MAX)
        return -1;
    h->hit[h->n++] = (ui_hit_t){(short)row, (short)col, (short)width, key};
    return 0;
}

int ui_hits_find(const ui_hits_t *h, int row, int col)
{
    /* Latest first: a zone drawn over another (a list over the screen's hints) wins. */
    for (int i = h->n - 1; i >= 0; i--) {
        const ui_hit_t *z = &h->hit[i];
        if (z->row == row && col >= z->col && col < z->col + z->width)
            return z->key;
    }
    return -1;
}
