/*
 * manifest.c - validation of the boot manifest (portable, host-tested).
 *
 * The manifest is read with the generated accessors over lib/capnp, which
 * bounds-checks every pointer; this file adds the semantic checks.  Every
 * check that fails names the service, grant or binary concerned, so a bad
 * manifest stops the boot with a message that says exactly what is wrong.
 */
#include <common/fmt.h>
#include <common/string.h>
#include <kernel/manifest.h>

bool (*manifest_kernel_cap_available)(uint32_t kind);

/* Fail with a formatted reason. */
__attribute__((format(printf, 4, 5)))
static err_t bad(char *why, size_t n, err_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return e;
}

bool manifest_text_eq(struct capnp_text t, const char *s)
{
    return t.len == strlen(s) && !memcmp(t.str, s, t.len);
}

static bool text_eq(struct capnp_text a, struct capnp_text b)
{
    return a.len == b.len && !memcmp(a.str, b.str, a.len);
}

static bool name_ok(struct capnp_text t)
{
    return t.len > 0 && t.len <= MANIFEST_NAME_MAX;
}

uint64_t manifest_kernel_cap_iface(uint32_t kind)
{
    static const uint64_t ids[CAPOS_KERNEL_CAP__COUNT] = {
        [CAPOS_KERNEL_CAP_CONSOLE] = CAPOS_CONSOLE_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_TIMER] = CAPOS_TIMER_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_FRAME_ALLOCATOR] = CAPOS_FRAME_ALLOCATOR_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_VIRTUAL_MEMORY] = CAPOS_VIRTUAL_MEMORY_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_PROCESS_SPAWNER] = CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_BOOT_PACKAGE] = CAPOS_BOOT_PACKAGE_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_CAPABILITY_MANAGER] =
            CAPOS_CAPABILITY_MANAGER_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_THREAD_CONTROL] = CAPOS_THREAD_CONTROL_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_ENDPOINT] = CAPOS_ENDPOINT_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_NOTIFICATION_FACTORY] =
            CAPOS_NOTIFICATION_FACTORY_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_DEVICE_MANAGER] = CAPOS_DEVICE_MANAGER_INTERFACE_ID,
        [CAPOS_KERNEL_CAP_SERIAL] = CAPOS_SERIAL_INTERFACE_ID,
    };
    return kind < CAPOS_KERNEL_CAP__COUNT ? ids[kind] : 0;
}

bool manifest_binary(struct manifest *m, struct capnp_text name,
                     struct capnp_data *elf)
{
    for (uint32_t i = 0; i < m->nbins; i++)
        if (text_eq(m->bins[i].name, name)) {
            *elf = m->bins[i].elf;
            return true;
        }
    return false;
}

/* Check the binaries and read each (name, data) once into m->bins. */
static err_t check_binaries(struct manifest *m, char *why, size_t n)
{
    capos_binary_rlist l = capos_system_manifest_get_binaries(m->root);
    uint32_t count = capos_binary_rlist_len(l);
    if (count == 0 || count > MANIFEST_MAX_BINARIES)
        return bad(why, n, ERR_RANGE, "manifest has %u binaries (1..%u allowed)",
                   count, MANIFEST_MAX_BINARIES);
    for (uint32_t i = 0; i < count; i++) {
        capos_binary_r b = capos_binary_rlist_get(l, i);
        struct capnp_text name = capos_binary_get_name(b);
        if (!name_ok(name))
            return bad(why, n, ERR_BADFORMAT, "binary %u: name empty or longer "
                       "than %u bytes", i, MANIFEST_NAME_MAX);
        struct capnp_data elf = capos_binary_get_data(b);
        if (elf.len == 0)
            return bad(why, n, ERR_BADFORMAT, "binary '%.*s': no data",
                       (int)name.len, name.str);
        struct capnp_data dup;
        if (manifest_binary(m, name, &dup))
            return bad(why, n, ERR_EXISTS, "binary '%.*s' defined twice",
                       (int)name.len, name.str);
        m->bins[m->nbins++] = (struct manifest_binary){name, elf};
    }
    return ERR_OK;
}

/* The own grant of s named `name`, or false. */
static bool own_grant(capos_service_entry_r s, struct capnp_text name,
                      capos_cap_grant_r *out)
{
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(s);
    for (uint32_t i = 0; i < capos_cap_grant_rlist_len(gl); i++) {
        capos_cap_grant_r g = capos_cap_grant_rlist_get(gl, i);
        if (text_eq(capos_cap_grant_get_name(g), name)) {
            *out = g;
            return true;
        }
    }
    return false;
}

static bool is_endpoint_grant(capos_cap_grant_r g)
{
    capos_cap_grant_source_r src = capos_cap_grant_get_source(g);
    return capos_cap_grant_source_which(src) == CAPOS_CAP_GRANT_SOURCE_KERNEL &&
           capos_cap_grant_source_get_kernel(src) == CAPOS_KERNEL_CAP_ENDPOINT;
}

/* The export `ex` of an earlier service `svc` (services[0..upto)). */
static bool find_export(capos_service_entry_rlist sl, uint32_t upto,
                        struct capnp_text svc, struct capnp_text ex,
                        capos_service_export_r *out)
{
    for (uint32_t i = 0; i < upto; i++) {
        capos_service_entry_r s = capos_service_entry_rlist_get(sl, i);
        if (!text_eq(capos_service_entry_get_name(s), svc))
            continue;
        capos_service_export_rlist el = capos_service_entry_get_exports(s);
        for (uint32_t k = 0; k < capos_service_export_rlist_len(el); k++) {
            capos_service_export_r e = capos_service_export_rlist_get(el, k);
            if (text_eq(capos_service_export_get_name(e), ex)) {
                *out = e;
                return true;
            }
        }
    }
    return false;
}

#define SNAME (int)sname.len, sname.str
#define GNAME (int)gname.len, gname.str

/* Check the source of grant g of service s (services[0..idx) are earlier). */
static err_t check_source(capos_service_entry_r s, capos_cap_grant_r g,
                          capos_service_entry_rlist sl, uint32_t idx,
                          char *why, size_t n)
{
    struct capnp_text sname = capos_service_entry_get_name(s);
    struct capnp_text gname = capos_cap_grant_get_name(g);
    uint64_t iface = capos_cap_grant_get_interface_id(g);
    capos_cap_grant_source_r src = capos_cap_grant_get_source(g);
    switch (capos_cap_grant_source_which(src)) {
    case CAPOS_CAP_GRANT_SOURCE_KERNEL: {
        uint32_t k = capos_cap_grant_source_get_kernel(src);
        uint64_t want = manifest_kernel_cap_iface(k);
        if (!want)
            return bad(why, n, ERR_BADFORMAT, "service '%.*s' grant '%.*s': "
                       "unknown kernel capability %u", SNAME, GNAME, k);
        if (iface != want)
            return bad(why, n, ERR_WRONGTYPE, "service '%.*s' grant '%.*s': "
                       "interface %#llx is not %s's (%#llx)", SNAME, GNAME,
                       (unsigned long long)iface, capos_kernel_cap_name(k),
                       (unsigned long long)want);
        if (manifest_kernel_cap_available && !manifest_kernel_cap_available(k))
            return bad(why, n, ERR_NOSYS, "service '%.*s' grant '%.*s': kernel "
                       "capability %s is not implemented by this kernel",
                       SNAME, GNAME, capos_kernel_cap_name(k));
        return ERR_OK;
    }
    case CAPOS_CAP_GRANT_SOURCE_SERVICE: {
        capos_cap_grant_source_service_r ss =
            capos_cap_grant_source_get_service(src);
        struct capnp_text from = capos_cap_grant_source_service_get_service(ss);
        struct capnp_text ex = capos_cap_grant_source_service_get_export(ss);
        capos_service_export_r e;
        if (!find_export(sl, idx, from, ex, &e))
            return bad(why, n, ERR_NOTFOUND, "service '%.*s' grant '%.*s': no "
                       "earlier service '%.*s' exports '%.*s'", SNAME, GNAME,
                       (int)from.len, from.str, (int)ex.len, ex.str);
        if (capos_service_export_get_interface_id(e) != iface)
            return bad(why, n, ERR_WRONGTYPE, "service '%.*s' grant '%.*s': "
                       "export '%.*s' serves another interface", SNAME, GNAME,
                       (int)ex.len, ex.str);
        return ERR_OK;
    }
    case CAPOS_CAP_GRANT_SOURCE_DEVICE:
        if (iface != CAPOS_PCI_DEVICE_INTERFACE_ID)
            return bad(why, n, ERR_WRONGTYPE, "service '%.*s' grant '%.*s': a "
                       "device grant has interface PciDevice", SNAME, GNAME);
        return ERR_OK;
    case CAPOS_CAP_GRANT_SOURCE_CLIENT_OF: {
        struct capnp_text of = capos_cap_grant_source_get_client_of(src);
        capos_cap_grant_r eg;
        if (!own_grant(s, of, &eg) || !is_endpoint_grant(eg))
            return bad(why, n, ERR_NOTFOUND, "service '%.*s' grant '%.*s': "
                       "clientOf '%.*s' is not an own endpoint grant", SNAME,
                       GNAME, (int)of.len, of.str);
        if (iface != CAPOS_CLIENT_ENDPOINT_INTERFACE_ID)
            return bad(why, n, ERR_WRONGTYPE, "service '%.*s' grant '%.*s': a "
                       "client facet has interface ClientEndpoint", SNAME, GNAME);
        return ERR_OK;
    }
    default:
        return bad(why, n, ERR_BADFORMAT, "service '%.*s' grant '%.*s': unknown "
                   "source kind", SNAME, GNAME);
    }
}

static err_t check_exports(capos_service_entry_r s, char *why, size_t n)
{
    struct capnp_text sname = capos_service_entry_get_name(s);
    capos_service_export_rlist el = capos_service_entry_get_exports(s);
    for (uint32_t i = 0; i < capos_service_export_rlist_len(el); i++) {
        capos_service_export_r e = capos_service_export_rlist_get(el, i);
        struct capnp_text gname = capos_service_export_get_name(e);
        capos_cap_grant_r g;
        if (!name_ok(gname))
            return bad(why, n, ERR_BADFORMAT, "service '%.*s' export %u: bad "
                       "name", SNAME, i);
        if (!own_grant(s, capos_service_export_get_grant(e), &g) ||
            !is_endpoint_grant(g))
            return bad(why, n, ERR_NOTFOUND, "service '%.*s' export '%.*s': "
                       "its grant is not an own endpoint", SNAME, GNAME);
    }
    return ERR_OK;
}

err_t manifest_args_check(struct capnp_msg *msg, const struct capnp_list *l,
                          const char **what)
{
    uint32_t n = capnp_list_len(l), total = 0;
    if (capnp_msg_error(msg) != CAPNP_OK)
        return *what = "not a list of texts", ERR_BADFORMAT;
    if (n > MANIFEST_MAX_ARGS)
        return *what = "more than 32 arguments", ERR_RANGE;
    for (uint32_t i = 0; i < n; i++) {
        struct capnp_ptr p = capnp_list_ptr(l, i);
        struct capnp_text t = capnp_ptr_read_text(&p, (struct capnp_text){0});
        if (capnp_msg_error(msg) != CAPNP_OK)
            return *what = "an argument is not a text", ERR_BADFORMAT;
        if (t.len > MANIFEST_ARG_MAX)
            return *what = "an argument is over 255 bytes", ERR_RANGE;
        if (strnlen(t.str, t.len) != t.len)
            return *what = "an argument holds a NUL byte", ERR_BADFORMAT;
        total += t.len;
    }
    if (total > MANIFEST_ARGS_BYTES)
        return *what = "the arguments are over 1,024 bytes", ERR_RANGE;
    return ERR_OK;
}

/* A read of the message failed while checking service sname: say which
 * error, and for the traversal budget how large it was. */
static err_t read_error(struct manifest *m, struct capnp_text sname,
                        char *why, size_t n)
{
    enum capnp_err e = capnp_msg_error(&m->msg);
    if (e == CAPNP_E_TRAVERSAL_LIMIT)
        return bad(why, n, ERR_RANGE, "service '%.*s': reading the manifest "
                   "went over its traversal budget of %llu words", SNAME,
                   (unsigned long long)m->traversal);
    return bad(why, n, ERR_BADFORMAT, "service '%.*s': manifest: %s", SNAME,
               capnp_strerror(e));
}

/* Validate one service entry (index idx in sl, or init if sl is NULL). */
static err_t check_service(struct manifest *m, capos_service_entry_r s,
                           capos_service_entry_rlist sl, uint32_t idx,
                           char *why, size_t n)
{
    struct capnp_text sname = capos_service_entry_get_name(s);
    struct capnp_data elf;
    if (!name_ok(sname))
        return bad(why, n, ERR_BADFORMAT, "service %u: name empty or too long",
                   idx);
    if (!manifest_binary(m, capos_service_entry_get_binary(s), &elf))
        return bad(why, n, ERR_NOTFOUND, "service '%.*s': binary '%.*s' not in "
                   "the manifest", SNAME,
                   (int)capos_service_entry_get_binary(s).len,
                   capos_service_entry_get_binary(s).str);
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(s);
    uint32_t ng = capos_cap_grant_rlist_len(gl);
    if (ng > MANIFEST_MAX_GRANTS)
        return bad(why, n, ERR_RANGE, "service '%.*s': %u grants (max %u)",
                   SNAME, ng, MANIFEST_MAX_GRANTS);
    for (uint32_t i = 0; i < ng; i++) {
        capos_cap_grant_r g = capos_cap_grant_rlist_get(gl, i);
        struct capnp_text gname = capos_cap_grant_get_name(g);
        if (!name_ok(gname))
            return bad(why, n, ERR_BADFORMAT, "service '%.*s' grant %u: name "
                       "empty or too long", SNAME, i);
        for (uint32_t j = 0; j < i; j++)
            if (text_eq(gname, capos_cap_grant_get_name(capos_cap_grant_rlist_get(gl, j))))
                return bad(why, n, ERR_EXISTS, "service '%.*s': grant '%.*s' "
                           "twice", SNAME, GNAME);
        err_t r = check_source(s, g, sl, idx, why, n);
        if (r)
            return r;
    }
    capos_quota_r q = capos_service_entry_get_quota(s);
    if (capos_quota_get_cap_slots(q) > MANIFEST_QUOTA_CAP_SLOTS)
        return bad(why, n, ERR_RANGE, "service '%.*s': quota.capSlots %u over "
                   "%u", SNAME, capos_quota_get_cap_slots(q),
                   MANIFEST_QUOTA_CAP_SLOTS);
    if (capos_quota_get_waits(q) > MANIFEST_QUOTA_WAITS)
        return bad(why, n, ERR_RANGE, "service '%.*s': quota.waits %u over %u",
                   SNAME, capos_quota_get_waits(q), MANIFEST_QUOTA_WAITS);
    if (capnp_msg_error(&m->msg) != CAPNP_OK)
        return read_error(m, sname, why, n);
    struct capnp_list args = capos_service_entry_get_args(s);
    const char *what;
    err_t r = manifest_args_check(&m->msg, &args, &what);
    if (r)
        return bad(why, n, r, "service '%.*s': args: %s", SNAME, what);
    return check_exports(s, why, n);
}

static err_t check_services(struct manifest *m, char *why, size_t n)
{
    capos_init_config_r ic = capos_system_manifest_get_init_config(m->root);
    if (!capos_init_config_has_init(ic))
        return bad(why, n, ERR_NOTFOUND, "manifest has no init");
    capos_service_entry_rlist sl = capos_init_config_get_services(ic);
    capos_service_entry_r init = capos_init_config_get_init(ic);
    err_t r = check_service(m, init, sl, 0, why, n);
    uint32_t count = capos_service_entry_rlist_len(sl);
    if (!r && count > MANIFEST_MAX_SERVICES)
        r = bad(why, n, ERR_RANGE, "manifest has %u services (max %u)", count,
                MANIFEST_MAX_SERVICES);
    for (uint32_t i = 0; !r && i < count; i++) {
        capos_service_entry_r s = capos_service_entry_rlist_get(sl, i);
        struct capnp_text sname = capos_service_entry_get_name(s);
        r = check_service(m, s, sl, i, why, n);
        if (!r && capnp_msg_error(&m->msg) != CAPNP_OK)
            r = read_error(m, sname, why, n);
        for (uint32_t j = 0; !r && j < i; j++)
            if (text_eq(sname, capos_service_entry_get_name(
                                   capos_service_entry_rlist_get(sl, j))))
                r = bad(why, n, ERR_EXISTS, "service '%.*s' defined twice", SNAME);
    }
    return r;
}

err_t manifest_open(struct manifest *m, const void *buf, size_t len,
                    char *why, size_t n)
{
    struct capnp_read_opts o = {.traversal_limit = len / 8 * 4 + 1024,
                                .nesting_limit = 32};
    memset(m, 0, sizeof *m);
    why[0] = '\0';
    enum capnp_err ce = capnp_msg_init(&m->msg, buf, len, &o);
    if (ce == CAPNP_OK)
        ce = capnp_msg_validate(&m->msg);
    if (ce == CAPNP_E_TRAVERSAL_LIMIT)
        return bad(why, n, ERR_RANGE, "manifest is not a valid message: a walk "
                   "of it reads over %llu words, 4 per word of message + "
                   "1,024 (aliased or cyclic pointers)",
                   (unsigned long long)o.traversal_limit);
    if (ce != CAPNP_OK)
        return bad(why, n, ERR_BADFORMAT, "manifest is not a valid message: %s",
                   capnp_strerror(ce));
    m->traversal = o.traversal_limit + MANIFEST_LOOKUP_WORDS;
    manifest_rewind(m);
    m->root = capos_system_manifest_read_root(&m->msg);
    m->len = len;
    uint32_t v = capos_system_manifest_get_schema_version(m->root);
    if (v != CAPOS_MANIFEST_SCHEMA_VERSION)
        return bad(why, n, ERR_BADFORMAT, "manifest schema version %u, this "
                   "kernel reads %u", v, CAPOS_MANIFEST_SCHEMA_VERSION);
    err_t r = check_binaries(m, why, n);
    if (!r)
        r = check_services(m, why, n);
    capos_kernel_params_r kp = capos_system_manifest_get_kernel_params(m->root);
    uint32_t hz = capos_kernel_params_get_timer_hz(kp);
    if (!r && (hz == 0 || hz > 1000))
        r = bad(why, n, ERR_RANGE, "kernelParams.timerHz %u not in 1..1000", hz);
    if (!r && capnp_msg_error(&m->msg) != CAPNP_OK)
        r = bad(why, n, ERR_BADFORMAT, "manifest: %s",
                capnp_strerror(capnp_msg_error(&m->msg)));
    return r;
}
