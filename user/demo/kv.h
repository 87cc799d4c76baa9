/* SPDX-License-Identifier: MIT */
/*
 * kv.h - client stubs for the KeyValue interface (schema/capos.capnp),
 * shared by the demo programs.  Each is one capos_call on a ClientEndpoint
 * cap with params from the generated builders; a server exception comes
 * back as its error code, with the server's message in kv_last_error.
 */
#pragma once

#include <capos/capos.h>
#include <stdbool.h>

#define KV_VALUE_MAX 256

/* The message of the last exception a kv_* call got ("" if none). */
extern char kv_last_error[CAPOS_EXCEPTION_MSG_MAX];

/* KeyValue.put; *replaced (may be NULL) says whether the key existed. */
err_t kv_put(uint32_t cap, const char *key, const void *val, uint32_t len,
             bool *replaced);
/* KeyValue.get into buf[KV_VALUE_MAX + 1] (NUL added); *len gets the size. */
err_t kv_get(uint32_t cap, const char *key, char *buf, uint32_t *len);
/* KeyValue.delete. */
err_t kv_delete(uint32_t cap, const char *key);
/* KeyValue.list: the keys, comma-separated, into out[max]. */
err_t kv_list(uint32_t cap, char *out, size_t max);
/* KeyValue.putShared: send MemoryObject mo (by copy) as the value of key;
 * *checksum gets the server's sum of the first size bytes. */
err_t kv_put_shared(uint32_t cap, const char *key, uint32_t mo, uint64_t size,
                    uint64_t *checksum);
/* KeyValue.shutdown; *served gets the server's call count. */
err_t kv_shutdown(uint32_t cap, uint32_t *served);
