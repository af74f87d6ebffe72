/* hallqctl's output for people. */
#ifndef HALLQ_CTL_PRINT_H
#define HALLQ_CTL_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "hq_client.h"
#include "hq_proto.h"

/* Prints the success reply of a request of this type, every string in it sanitised
 * (hq_utf8_sanitise): no escape sequence from hallqd reaches the terminal. */
void ctl_print_reply(hq_req_type_t type, const json_t *reply);
/* "HH:MM:SS" of an epoch time in the local time zone. */
void ctl_clock(int64_t ms, char *out, size_t n);
/* Makes local time the hall's: asks hallqd its catalog and takes the hall's time zone, so
 * the times printed are the hall's wherever hallqctl runs. A daemon that does not answer
 * leaves the machine's own zone. */
void ctl_follow_hall_timezone(hq_client_t *client);

#endif
