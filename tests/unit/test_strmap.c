/* Strings to dense indexes (lib/hallq/hq_strmap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hq_strmap.h"

static void test_hash(void **state)
{
    (void)state;
    /* The published FNV-1a 64 test vectors. */
    assert_true(hq_hash_str("") == 0xcbf29ce484222325u);
    assert_true(hq_hash_str("a") == 0xaf63dc4c8601ec8cu);
    assert_true(hq_hash_str("foobar") == 0x85944171f73967e8u);
}

static void test_indexes(void **state)
{
    (void)state;
    hq_strmap_t *m = hq_strmap_new();
    assert_non_null(m);
    assert_int_equal(hq_strmap_find(m, "wang"), -1); /* empty map */
    assert_int_equal(hq_strmap_add(m, "wang"), 0);
    assert_int_equal(hq_strmap_add(m, "李娜"), 1);
    assert_int_equal(hq_strmap_add(m, ""), 2); /* the empty string is a key like any */
    assert_int_equal(hq_strmap_add(m, "wang"), 0);
    assert_int_equal(hq_strmap_add(m, "wan"), 3); /* a prefix is another key */
    assert_int_equal(hq_strmap_find(m, "李娜"), 1);
    assert_int_equal(hq_strmap_find(m, "li"), -1);
    assert_int_equal(hq_strmap_size(m), 4);
    assert_string_equal(hq_strmap_key(m, 1), "李娜");
    *hq_strmap_value(m, 3) = -7;
    assert_true(*hq_strmap_value(m, 0) == 0);
    /* Many keys: indexes stay dense and stable, values and keys stay with them through
     * every growth. */
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "clerk-%d", i);
        int at = hq_strmap_add(m, key);
        assert_int_equal(at, i + 4);
        *hq_strmap_value(m, (size_t)at) = (int64_t)i * 1000000007;
    }
    assert_int_equal(hq_strmap_size(m), 100004);
    for (int i = 0; i < 100000; i += 7) {
        snprintf(key, sizeof key, "clerk-%d", i);
        int at = hq_strmap_find(m, key);
        assert_int_equal(at, i + 4);
        assert_string_equal(hq_strmap_key(m, (size_t)at), key);
        assert_true(*hq_strmap_value(m, (size_t)at) == (int64_t)i * 1000000007);
    }
    assert_int_equal(hq_strmap_find(m, "clerk-100000"), -1);
    assert_true(*hq_strmap_value(m, 3) == -7);
    assert_string_equal(hq_strmap_key(m, 0), "wang");
    hq_strmap_destroy(&m);
    assert_null(m);
    hq_strmap_destroy(&m); /* safe twice */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_indexes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
