/*
 * fmt.c - printf-style formatting engine (see <common/fmt.h>).
 *
 * Theory of operation: fmt_vformat walks the format string, copying literal
 * characters to the sink and, at each '%', parsing one conversion spec
 * (flags, width, precision, length, conversion) into struct fmt_spec.  The
 * argument is fetched according to the length modifier and widened to a
 * 64-bit magnitude plus a sign, so one routine (fmt_int) lays out every
 * integer conversion as
 *     [spaces][sign or 0x prefix][zeros][digits][spaces]
 * following C99: precision is the minimum number of digits (and disables the
 * '0' flag), '-' overrides '0', "%.0d" of 0 prints nothing, '#' adds a 0x/0X
 * prefix for non-zero hex and forces a leading 0 for octal.
 *
 * The engine never allocates and has no state outside the call, so printk
 * can use it from any context that its sink tolerates.
 */
#include <common/fmt.h>
#include <stdbool.h>
#include <stdint.h>

/* gcc's <limits.h> needs the libc one under -nostdinc; use the builtin. */
#define FMT_INT_MAX __INT_MAX__

enum fmt_flag {
    FMT_LEFT = 1u << 0,  /* '-' */
    FMT_ZERO = 1u << 1,  /* '0' */
    FMT_ALT = 1u << 2,   /* '#' */
    FMT_SPACE = 1u << 3, /* ' ' */
    FMT_PLUS = 1u << 4,  /* '+' */
};

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

struct fmt_spec {
    unsigned flags;   /* enum fmt_flag bits */
    int width;        /* 0 = none */
    int prec;         /* -1 = none */
    enum fmt_len len;
    char conv;
};

struct fmt_state {
    fmt_out_fn out;
    void *ctx;
    int count;        /* characters produced so far, saturating */
};

/* Emit one character. */
static void fmt_emit(struct fmt_state *st, char c)
{
    st->out(st->ctx, c);
    if (st->count < FMT_INT_MAX)
        st->count++;
}

/* Emit c n times (n <= 0 emits nothing). */
static void fmt_repeat(struct fmt_state *st, char c, int n)
{
    for (; n > 0; n--)
        fmt_emit(st, c);
}

/* Emit the n characters at s. */
static void fmt_emit_n(struct fmt_state *st, const char *s, int n)
{
    for (int i = 0; i < n; i++)
        fmt_emit(st, s[i]);
}

/* Parse a decimal number, saturating at FMT_MAX_WIDTH. */
static const char *fmt_parse_num(const char *p, int *out)
{
    int v = 0;

    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > FMT_MAX_WIDTH)
            v = FMT_MAX_WIDTH;
    }
    *out = v;
    return p;
}

/* Parse the flag characters of a spec. */
static const char *fmt_parse_flags(const char *p, struct fmt_spec *sp)
{
    for (;; p++) {
        switch (*p) {
        case '-': sp->flags |= FMT_LEFT; break;
        case '0': sp->flags |= FMT_ZERO; break;
        case '#': sp->flags |= FMT_ALT; break;
        case ' ': sp->flags |= FMT_SPACE; break;
        case '+': sp->flags |= FMT_PLUS; break;
        default: return p;
        }
    }
}

/* Parse width and precision (literal or '*'). */
static const char *fmt_parse_wp(const char *p, struct fmt_spec *sp, va_list *ap)
{
    if (*p == '*') {
        int w = va_arg(*ap, int);
        if (w < 0) {
            sp->flags |= FMT_LEFT;
            w = w < -FMT_MAX_WIDTH ? FMT_MAX_WIDTH : -w;
        }
        sp->width = w > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : w;
        p++;
    } else {
        p = fmt_parse_num(p, &sp->width);
    }
    if (*p != '.')
        return p;
    p++;
    if (*p == '*') {
        int pr = va_arg(*ap, int);
        sp->prec = pr < 0 ? -1 : (pr > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : pr);
        return p + 1;
    }
    return fmt_parse_num(p, &sp->prec);
}

/* Parse a length modifier. */
static const char *fmt_parse_len(const char *p, struct fmt_spec *sp)
{
    switch (*p) {
    case 'h':
        if (p[1] == 'h') {
            sp->len = LEN_HH;
            return p + 2;
        }
        sp->len = LEN_H;
        return p + 1;
    case 'l':
        if (p[1] == 'l') {
            sp->len = LEN_LL;
            return p + 2;
        }
        sp->len = LEN_L;
        return p + 1;
    case 'z': sp->len = LEN_Z; return p + 1;
    case 'j': sp->len = LEN_J; return p + 1;
    case 't': sp->len = LEN_T; return p + 1;
    default: return p;
    }
}

/* Fetch a signed integer argument of the spec's length. */
static int64_t fmt_fetch_signed(enum fmt_len len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return (ptrdiff_t)va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, intmax_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

/* Fetch an unsigned integer argument of the spec's length. */
static uint64_t fmt_fetch_unsigned(enum fmt_len len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Write the digits of v in base into buf (reversed); returns the count. */
static int fmt_digits(char *buf, uint64_t v, unsigned base, bool upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;

    do {
        buf[n++] = set[v % base];
        v /= base;
    } while (v);
    return n;
}

/* Lay out one integer: magnitude, sign and prefix per the spec. */
static void fmt_int(struct fmt_state *st, const struct fmt_spec *sp,
                    uint64_t mag, const char *prefix, unsigned base)
{
    char dig[24];
    int ndig = fmt_digits(dig, mag, base, sp->conv == 'X');
    int plen = 0, zeros, pad;

    if (sp->prec == 0 && mag == 0)
        ndig = 0;
    while (prefix[plen])
        plen++;
    zeros = sp->prec > ndig ? sp->prec - ndig : 0;
    if (base == 8 && (sp->flags & FMT_ALT) && zeros == 0 &&
        (ndig == 0 || dig[ndig - 1] != '0'))
        zeros = 1;
    if ((sp->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO && sp->prec < 0 &&
        sp->width > plen + ndig + zeros)
        zeros = sp->width - plen - ndig;
    pad = sp->width - plen - zeros - ndig;
    if (!(sp->flags & FMT_LEFT))
        fmt_repeat(st, ' ', pad);
    fmt_emit_n(st, prefix, plen);
    fmt_repeat(st, '0', zeros);
    while (ndig > 0)
        fmt_emit(st, dig[--ndig]);
    if (sp->flags & FMT_LEFT)
        fmt_repeat(st, ' ', pad);
}

/* Emit n characters of s padded to the spec's width. */
static void fmt_padded(struct fmt_state *st, const struct fmt_spec *sp,
                       const char *s, int n)
{
    int pad = sp->width - n;

    if (!(sp->flags & FMT_LEFT))
        fmt_repeat(st, ' ', pad);
    fmt_emit_n(st, s, n);
    if (sp->flags & FMT_LEFT)
        fmt_repeat(st, ' ', pad);
}

/* %s: at most prec characters (never reads past them); NULL -> "(null)". */
static void fmt_str(struct fmt_state *st, const struct fmt_spec *sp,
                    const char *s)
{
    int n = 0;

    if (!s)
        s = "(null)";
    while ((sp->prec < 0 || n < sp->prec) && s[n] && n < FMT_INT_MAX)
        n++;
    fmt_padded(st, sp, s, n);
}

/* %d / %i: signed decimal with '+' and ' ' flags. */
static void fmt_signed(struct fmt_state *st, const struct fmt_spec *sp,
                       va_list *ap)
{
    int64_t v = fmt_fetch_signed(sp->len, ap);
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
    const char *prefix = "";

    if (v < 0)
        prefix = "-";
    else if (sp->flags & FMT_PLUS)
        prefix = "+";
    else if (sp->flags & FMT_SPACE)
        prefix = " ";
    fmt_int(st, sp, mag, prefix, 10);
}

/* %u %x %X %o. */
static void fmt_unsigned(struct fmt_state *st, const struct fmt_spec *sp,
                         va_list *ap)
{
    uint64_t v = fmt_fetch_unsigned(sp->len, ap);
    const char *prefix = "";
    unsigned base = 10;

    if (sp->conv == 'o') {
        base = 8;
    } else if (sp->conv == 'x' || sp->conv == 'X') {
        base = 16;
        if ((sp->flags & FMT_ALT) && v != 0)
            prefix = sp->conv == 'x' ? "0x" : "0X";
    }
    fmt_int(st, sp, v, prefix, base);
}

/* Convert one parsed spec; returns false for an unknown conversion. */
static bool fmt_convert(struct fmt_state *st, struct fmt_spec *sp, va_list *ap)
{
    char c;

    switch (sp->conv) {
    case 'd': case 'i':
        fmt_signed(st, sp, ap);
        return true;
    case 'u': case 'x': case 'X': case 'o':
        fmt_unsigned(st, sp, ap);
        return true;
    case 'p':
        fmt_int(st, sp, (uintptr_t)va_arg(*ap, void *), "0x", 16);
        return true;
    case 's':
        fmt_str(st, sp, va_arg(*ap, const char *));
        return true;
    case 'c':
        c = (char)va_arg(*ap, int);
        fmt_padded(st, sp, &c, 1);
        return true;
    case '%':
        fmt_emit(st, '%');
        return true;
    default:
        return false;
    }
}

int fmt_vformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap)
{
    struct fmt_state st = {.out = out, .ctx = ctx, .count = 0};
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            fmt_emit(&st, *fmt++);
            continue;
        }
        const char *start = fmt++;
        struct fmt_spec sp = {.flags = 0, .width = 0, .prec = -1};
        fmt = fmt_parse_flags(fmt, &sp);
        fmt = fmt_parse_wp(fmt, &sp, &args);
        fmt = fmt_parse_len(fmt, &sp);
        sp.conv = *fmt;
        if (sp.conv == '\0') {
            fmt_emit_n(&st, start, (int)(fmt - start));
            break;
        }
        fmt++;
        if (!fmt_convert(&st, &sp, &args))
            fmt_emit_n(&st, start, (int)(fmt - start));
    }
    va_end(args);
    return st.count;
}

int fmt_format(fmt_out_fn out, void *ctx, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vformat(out, ctx, fmt, ap);
    va_end(ap);
    return n;
}

struct fmt_buf {
    char *buf;
    size_t size;
    size_t pos;
};

/* snprintf sink: store while there is room for the terminator. */
static void fmt_buf_out(void *ctx, char c)
{
    struct fmt_buf *b = ctx;

    if (b->pos + 1 < b->size)
        b->buf[b->pos] = c;
    b->pos++;
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct fmt_buf b = {.buf = buf, .size = n, .pos = 0};
    int len = fmt_vformat(fmt_buf_out, &b, fmt, ap);

    if (n > 0)
        buf[b.pos < n ? b.pos : n - 1] = '\0';
    return len;
}

int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = fmt_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return len;
}
