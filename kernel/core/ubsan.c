/*
 * ubsan.c - handlers for the undefined-behaviour sanitizer in the test
 * kernel (CONFIG_KTEST builds add -fsanitize=undefined).
 *
 * Every check the compiler inserts calls one of these on failure; each
 * prints what and where and panics, so undefined behaviour anywhere in the
 * kernel fails the running test (the system tests all run on the test
 * kernel).  The production kernel is built without the sanitizer.
 */
#include <stdint.h>
#include <kernel/printk.h>

struct ubsan_loc {
    const char *file;
    uint32_t line;
    uint32_t column;
};

/* Every handler's first argument starts with the source location. */
struct ubsan_data {
    struct ubsan_loc loc;
};

__attribute__((noreturn)) static void ubsan_fail(const void *data,
                                                 const char *what)
{
    const struct ubsan_loc *l = &((const struct ubsan_data *)data)->loc;
    panic("UBSAN: %s at %s:%u:%u", what, l->file ? l->file : "?", l->line,
          l->column);
}

/* The value arguments are part of each handler's ABI but not printed. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define UBSAN_HANDLER(name, what, ...)                                       \
    void __ubsan_handle_##name(void *data, ##__VA_ARGS__);                   \
    void __ubsan_handle_##name(void *data, ##__VA_ARGS__)                    \
    {                                                                        \
        ubsan_fail(data, what);                                              \
    }

UBSAN_HANDLER(add_overflow, "signed addition overflow", void *a, void *b)
UBSAN_HANDLER(sub_overflow, "signed subtraction overflow", void *a, void *b)
UBSAN_HANDLER(mul_overflow, "signed multiplication overflow", void *a, void *b)
UBSAN_HANDLER(negate_overflow, "signed negation overflow", void *a)
UBSAN_HANDLER(divrem_overflow, "division overflow or by zero", void *a, void *b)
UBSAN_HANDLER(pointer_overflow, "pointer arithmetic overflow", void *a, void *b)
UBSAN_HANDLER(shift_out_of_bounds, "shift out of bounds", void *a, void *b)
UBSAN_HANDLER(type_mismatch_v1, "misaligned or null access", void *p)
UBSAN_HANDLER(out_of_bounds, "array index out of bounds", void *i)
UBSAN_HANDLER(load_invalid_value, "invalid value loaded (bool or enum)", void *v)
UBSAN_HANDLER(builtin_unreachable, "unreachable code reached")
UBSAN_HANDLER(missing_return, "function without return value")
UBSAN_HANDLER(nonnull_arg, "null passed as a nonnull argument")
UBSAN_HANDLER(nonnull_return_v1, "null returned from a nonnull function", void *l)
UBSAN_HANDLER(vla_bound_not_positive, "variable-length array bound not positive", void *b)
UBSAN_HANDLER(invalid_builtin, "invalid builtin use")
UBSAN_HANDLER(alignment_assumption, "alignment assumption violated", void *p,
              void *a, void *o)
UBSAN_HANDLER(implicit_conversion, "implicit conversion changed the value",
              void *a, void *b)
