/* SPDX-License-Identifier: MIT */
/*
 * lua5.4-deb-multiarch.h - the header Debian's lua5.4 build generates
 * (debian/rules), for the capOS build of Lua: luaconf.h takes the module
 * search paths from it.  capOS has no shared objects, so the C-module
 * directory it names is never used.
 */
#ifndef _LUA_DEB_MULTIARCH_
#define _LUA_DEB_MULTIARCH_
#define DEB_HOST_MULTIARCH "x86_64-capos"
#endif
