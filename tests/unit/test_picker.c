/* test_picker: the list inside the role and reason pickers: the cursor
 * stays on an entry, the first row shown follows it in any number of rows,
 * an empty picker has nothing under the cursor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "ui/picker.h"

static void test_cursor_and_scroll(void **state)
{
    (void)state;
    struct picker p;
    picker_init(&p);
    assert_null(picker_current(&p));
    picker_move(&p, 3);
    assert_int_equal(p.cursor, 0);
    char label[16];
    for (int i = 0; i < 12; i++) {
        snprintf(label, sizeof label, "r%d", i);
        picker_add(&p, label, i % 2 ? "odd" : NULL);
    }
    assert_string_equal(picker_current(&p)->label, "r0");
    assert_null(picker_current(&p)->detail);
    picker_move(&p, -5);
    assert_int_equal(p.cursor, 0);
    picker_move(&p, 5);
    assert_string_equal(picker_current(&p)->label, "r5");
    assert_string_equal(picker_current(&p)->detail, "odd");
    picker_scroll(&p, 3);
    assert_int_equal(p.top, 3); /* r5 on the last of 3 rows */
    picker_move(&p, 100);
    assert_int_equal(p.cursor, 11);
    picker_scroll(&p, 3);
    assert_int_equal(p.top, 9);
    picker_set(&p, 0);
    picker_scroll(&p, 3);
    assert_int_equal(p.top, 0);
    picker_set(&p, (size_t)-1);
    assert_int_equal(p.cursor, 11);
    picker_scroll(&p, 20); /* all fit */
    assert_int_equal(p.top, 0);
    picker_free(&p);
    assert_int_equal(p.count, 0);
    assert_null(picker_current(&p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursor_and_scroll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
