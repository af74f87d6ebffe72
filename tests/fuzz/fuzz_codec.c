/* libFuzzer harness for everything the network can hand us: request frames, replies, events,
 * snapshots and catalogs. Invariants: no crash, no leak, a request that decodes re-encodes to
 * one that decodes to the same values, every refusal says why, a decoded catalog holds only
 * valid entries, and hq_json_compact writes what json_dumps writes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hq_mirror.h"
#include "hq_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hq_request_t req, again;
    hq_error_t err;
    if (hq_request_decode(data, size, &req, &err) == HQ_OK) {
        char *text = hq_request_encode(&req);
        if (!text || hq_request_decode(text, strlen(text), &again, &err) != HQ_OK ||
            memcmp(&req, &again, sizeof req) != 0)
            abort(); /* the codec disagrees with itself */
        free(text);
    } else if (err.code == HQ_E_NONE || err.message[0] == '\0') {
        abort(); /* every refusal says why */
    }

    hq_reply_t reply;
    if (hq_reply_decode(data, size, &reply) == HQ_OK)
        hq_reply_clear(&reply);

    /* The first byte picks the event topic, the rest is the body. */
    if (size > 0) {
        hq_event_t ev;
        const char *topic = hq_event_type_name((hq_event_type_t)(data[0] % HQ_EV_COUNT_));
        if (hq_event_decode(topic, data + 1, size - 1, &ev) == HQ_OK) {
            hq_mirror_t m;
            hq_mirror_init(&m, 3000);
            hq_mirror_apply(&m, &ev, 1);
            hq_mirror_free(&m);
            hq_event_clear(&ev);
        }
    }

    /* The daemon's encoder writes exactly what jansson's writes, for any value read. */
    json_t *any = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (any) {
        char *want = json_dumps(any, JSON_COMPACT | JSON_ENCODE_ANY);
        char *got = hq_json_compact(any, NULL);
        if (!want != !got || (want && strcmp(want, got) != 0))
            abort();
        free(want);
        free(got);
        json_decref(any);
    }

    json_t *snap = json_loadb((const char *)data, size, 0, NULL);
    if (snap) {
        hq_mirror_t m;
        hq_mirror_init(&m, 3000);
        if (hq_mirror_load_snapshot(&m, snap, 1) == HQ_OK && m.state != HQ_SYNC_ACTIVE)
            abort();
        hq_mirror_free(&m);
        hq_catalog_t cat;
        hq_error_t cerr;
        if (hq_catalog_decode(snap, &cat, &cerr) == HQ_OK) {
            if (cat.nskipped && !cerr.message[0])
                abort(); /* what was left out is named */
            for (size_t i = 0; i < cat.nservices; i++)
                if (cat.services[i].no < 1 || cat.services[i].queue < 'A' ||
                    cat.services[i].queue > 'Z' || !cat.services[i].name)
                    abort();
            hq_catalog_clear(&cat);
        } else if (!cerr.message[0] || cat.root) {
            abort();
        }
        json_decref(snap);
    }
    char prefix;
    int number;
    char label[HQ_LABEL_MAX + 4];
    size_t n = size < sizeof label - 1 ? size : sizeof label - 1;
    memcpy(label, data, n);
    label[n] = '\0';
    if (hq_label_parse(label, &prefix, &number) == 0) {
        char back[HQ_LABEL_MAX];
        if (hq_label_format(prefix, number, back, sizeof back) != 0)
            abort();
    }
    return 0;
}
