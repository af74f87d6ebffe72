/* Appointment statistics: counting bookings into groups (stats.h). Pure. */
#include "stats.h"

#include <string.h>

void stats_booking_count(stats_booking_group_t *g, const stats_booking_t *b)
{
    g->booked++;
    const char *s = b->state ? b->state : "";
    if (strcmp(s, "checked_in") == 0) {
        g->checked_in++;
        if (b->called_ms > 0 && b->slot_ms > 0) {
            int64_t wait = b->called_ms > b->slot_ms ? b->called_ms - b->slot_ms : 0;
            g->called++;
            g->wait_ms += (double)wait;
            g->within_10 += wait <= 10 * 60000;
        }
    } else if (strcmp(s, "late") == 0) {
        g->late++;
    } else if (strcmp(s, "no_show") == 0) {
        g->no_show++;
    } else if (strcmp(s, "cancelled") == 0) {
        g->cancelled++;
    } else {
        g->waiting++;
    }
}

double stats_booking_wait_mean_ms(const stats_booking_group_t *g)
{
    return g->called ? g->wait_ms / (double)g->called : 0;
}
