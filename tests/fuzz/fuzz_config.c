/* libFuzzer harness for the configuration file and the service catalog parsers. A bad file
 * must be refused with a message and leave the configuration as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    hallq_config_t cfg;
    char why[512];
    if (config_default(&cfg, why, sizeof why) != 0)
        abort();
    int nqueues = cfg.nqueues, ncounters = cfg.ncounters;
    /* The bytes as a file holds them: NUL bytes, byte-order marks and GB18030 included. */
    if (config_load_buffer(&cfg, (const char *)data, size, "fuzz.conf", why, sizeof why) != 0) {
        if (!why[0] || cfg.nqueues != nqueues || cfg.ncounters != ncounters)
            abort();
    } else {
        /* an accepted file gives a usable hall */
        if (cfg.nqueues < 1 || cfg.ncounters < 1)
            abort();
        for (int i = 0; i < cfg.ncounters; i++)
            for (const char *q = cfg.counters[i].queues; *q; q++)
                if (!config_queue(&cfg, *q))
                    abort();
    }
    int nservices = cfg.nservices;
    if (config_load_catalog(&cfg, text, "fuzz.tsv", why, sizeof why) != 0 &&
        (cfg.nservices != nservices || !why[0]))
        abort();
    config_free(&cfg);
    free(text);
    return 0;
}
