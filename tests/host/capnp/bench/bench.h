/* SPDX-License-Identifier: MIT */
/*
 * bench.h - shared shapes of the capnp benchmark (C and C++ sides).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BENCH_CALL_NAME "console.write: hello from capOS"
#define BENCH_POINTS 1000
#define BENCH_SERVICES 8
#define BENCH_CAPS 4
#define BENCH_ALL_TEXT "all types, one message"

extern const char *const bench_service_names[BENCH_SERVICES];
extern const char *const bench_binaries[BENCH_SERVICES];
extern const char *const bench_cap_names[BENCH_CAPS];

size_t c_call_build(void *out, size_t len, uint32_t i);
uint64_t c_call_read(const void *buf, size_t len);
size_t c_points_build(void *out, size_t len, uint32_t seed);
uint64_t c_points_read(const void *buf, size_t len);
size_t c_manifest_build(void *out, size_t len, uint32_t seed);
uint64_t c_manifest_read(const void *buf, size_t len);
size_t c_all_build(void *out, size_t len, uint32_t seed);
uint64_t c_all_read(const void *buf, size_t len);

#ifdef __cplusplus
}
#endif
