/* Growable arrays and text (lib/hallq/hq_vec.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hq_vec.h"

typedef struct {
    int a;
    char b[13];
} s_item_t;

static void test_vec(void **state)
{
    (void)state;
    hq_vec_t v = HQ_VEC_INIT(s_item_t);
    for (int i = 0; i < 10000; i++) {
        s_item_t *it = hq_vec_push(&v);
        assert_non_null(it);
        assert_int_equal(it->a, 0); /* zeroed */
        it->a = i;
        it->b[0] = (char)('a' + i % 26);
    }
    assert_int_equal(v.len, 10000);
    assert_true(v.cap >= 10000 && v.cap < 20000 * 2);
    const s_item_t *items = v.data;
    for (int i = 0; i < 10000; i++) {
        assert_int_equal(items[i].a, i);
        assert_int_equal(((s_item_t *)hq_vec_at(&v, (size_t)i))->b[0], 'a' + i % 26);
    }
    size_t n = 0;
    s_item_t *owned = hq_vec_detach(&v, &n);
    assert_int_equal(n, 10000);
    assert_int_equal(owned[9999].a, 9999);
    assert_null(v.data);
    assert_int_equal(v.len, 0);
    free(owned);
    assert_null(hq_vec_detach(&v, &n)); /* empty: nothing to hand over */
    assert_int_equal(n, 0);
    assert_int_equal(hq_vec_reserve(&v, 100), 0);
    assert_true(v.cap >= 100);
    hq_vec_free(&v);
    hq_vec_free(&v); /* safe twice */
    assert_null(v.data);
}

static void test_vec_too_large(void **state)
{
    (void)state;
    hq_vec_t v = HQ_VEC_INIT(s_item_t);
    assert_non_null(hq_vec_push(&v));
    /* More bytes than the address space: refused, and the vector keeps what it had. */
    assert_int_equal(hq_vec_reserve(&v, SIZE_MAX / 4), -1);
    assert_int_equal(v.len, 1);
    assert_non_null(hq_vec_push(&v));
    hq_vec_free(&v);
}

static void test_buf(void **state)
{
    (void)state;
    hq_buf_t b = HQ_BUF_INIT;
    hq_buf_printf(&b, "%s=%d", "x", 42);
    assert_string_equal(b.s, "x=42");
    assert_int_equal(b.len, 4);
    /* Across many growths, formatted and raw appends keep their order. */
    for (int i = 0; i < 5000; i++) {
        hq_buf_printf(&b, ",%04d", i);
        hq_buf_append(&b, "ab", 1);
    }
    assert_int_equal(b.len, 4 + 5000 * 6);
    assert_int_equal(strlen(b.s), b.len);
    assert_memory_equal(b.s + 4, ",0000a,0001a", 12);
    assert_string_equal(b.s + b.len - 6, ",4999a");
    hq_buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.s, "");
    hq_buf_printf(&b, "%s", "");
    hq_buf_append(&b, "中文", strlen("中文"));
    char *s = hq_buf_detach(&b);
    assert_string_equal(s, "中文");
    free(s);
    assert_null(b.s);
    /* Nothing added still gives a text. */
    s = hq_buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    hq_buf_reserve(&b, 70000);
    assert_true(b.cap > 70000);
    assert_string_equal(b.s, "");
    hq_buf_free(&b);
    hq_buf_free(&b);
}

static void test_buf_failure_sticks(void **state)
{
    (void)state;
    hq_buf_t b = HQ_BUF_INIT;
    hq_buf_printf(&b, "start");
    hq_buf_append(&b, "x", SIZE_MAX - 2); /* cannot be had */
    assert_true(b.failed);
    hq_buf_printf(&b, "more");
    assert_int_equal(b.len, 5);     /* nothing after the failure */
    assert_null(hq_buf_detach(&b)); /* an incomplete text is not handed out */
    assert_false(b.failed);
    assert_null(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vec),
        cmocka_unit_test(test_vec_too_large),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_buf_failure_sticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
