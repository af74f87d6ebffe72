/* The catalog as the clerk terminal reads it: materials per service, rules; bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

static void test_real_catalog(void **state)
{
    (void)state;
    hqc_catalog_t cat;
    hqc_catalog_init(&cat);
    assert_false(cat.loaded);
    json_t *reply = fx_catalog();
    assert_int_equal(hqc_catalog_load(&cat, reply), 0);
    json_decref(reply);
    assert_true(cat.loaded);
    assert_int_equal(cat.noshow_after, 2);
    assert_int_equal(cat.target_min, 10);
    assert_string_equal(cat.timezone, "Asia/Shanghai");
    const hqc_service_t *s3 = hqc_catalog_service(&cat, 3);
    assert_non_null(s3);
    assert_int_equal(s3->queue, 'A');
    assert_string_equal(s3->name, "城乡居民参保登记");
    assert_int_equal(s3->nmaterials, 1);
    assert_string_equal(s3->materials[0], "有效身份证件");
    assert_true(s3->instant);
    const hqc_service_t *s10 = hqc_catalog_service(&cat, 10);
    assert_non_null(s10);
    assert_string_equal(s10->name, "异地长期居住人员备案");
    assert_int_equal(s10->nmaterials, 2);
    assert_string_equal(s10->materials[1], "居住证明或个人承诺书");
    const hqc_service_t *s14 = hqc_catalog_service(&cat, 14);
    assert_non_null(s14);
    assert_false(s14->instant);
    assert_null(hqc_catalog_service(&cat, 0));
    assert_null(hqc_catalog_service(&cat, 999));
    hqc_catalog_clear(&cat);
    assert_false(cat.loaded);
    hqc_catalog_clear(&cat); /* twice is harmless */
}

/* Malformed services are skipped; the rest still load. */
static void test_bad_entries_skipped(void **state)
{
    (void)state;
    json_t *reply = json_loads(
        "{\"services\":["
        "{\"no\":1,\"queue\":\"A\",\"sub_item\":\"ok\",\"materials\":[\"x\",7,\"\",\"y\"]},"
        "{\"no\":\"2\",\"queue\":\"A\"},"
        "{\"no\":3,\"queue\":\"AB\"},"
        "{\"no\":0,\"queue\":\"A\"},"
        "{\"no\":4,\"queue\":\"B\",\"main_item\":\"fallback\",\"materials\":\"none\"},"
        "\"junk\"],"
        "\"rules\":{\"noshow_after_calls\":-3,\"handling_target_min\":\"ten\"}}",
        0, NULL);
    assert_non_null(reply);
    hqc_catalog_t cat;
    hqc_catalog_init(&cat);
    assert_int_equal(hqc_catalog_load(&cat, reply), 0);
    assert_int_equal(cat.nservices, 2);
    const hqc_service_t *s1 = hqc_catalog_service(&cat, 1);
    assert_non_null(s1);
    assert_int_equal(s1->nmaterials, 2);
    assert_string_equal(s1->materials[0], "x");
    assert_string_equal(s1->materials[1], "y");
    const hqc_service_t *s4 = hqc_catalog_service(&cat, 4);
    assert_non_null(s4);
    assert_string_equal(s4->name, "fallback");
    assert_int_equal(s4->nmaterials, 0);
    assert_int_equal(cat.noshow_after, 2); /* out-of-range rules keep the defaults */
    assert_int_equal(cat.target_min, 10);
    json_decref(reply);
    hqc_catalog_clear(&cat);
}

/* A reply without services is refused and the catalog in hand is kept. */
static void test_reply_without_services_keeps_old(void **state)
{
    (void)state;
    hqc_catalog_t cat;
    hqc_catalog_init(&cat);
    json_t *good = fx_catalog();
    assert_int_equal(hqc_catalog_load(&cat, good), 0);
    int n = cat.nservices;
    json_t *bad = json_pack("{s:b, s:s}", "ok", 1, "services", "nope");
    assert_int_equal(hqc_catalog_load(&cat, bad), -1);
    assert_int_equal(hqc_catalog_load(&cat, NULL), -1);
    assert_true(cat.loaded);
    assert_int_equal(cat.nservices, n);
    assert_non_null(hqc_catalog_service(&cat, 3));
    /* Loading again replaces (no leak, no duplicates). */
    assert_int_equal(hqc_catalog_load(&cat, good), 0);
    assert_int_equal(cat.nservices, n);
    json_decref(good);
    json_decref(bad);
    hqc_catalog_clear(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_catalog),
        cmocka_unit_test(test_bad_entries_skipped),
        cmocka_unit_test(test_reply_without_services_keeps_old),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
