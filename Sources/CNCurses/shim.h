#ifndef PARLEY_CNCURSES_SHIM_H
#define PARLEY_CNCURSES_SHIM_H

// Wide-character entry points (wget_wch, add_wch, cchar_t) are only declared with this defined.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 rejects mutable C globals and cannot import function-like macros,
// so the few the UI needs are exported as small inline accessors.
static inline WINDOW *parley_stdscr(void) { return stdscr; }
static inline int parley_lines(void) { return LINES; }
static inline int parley_cols(void) { return COLS; }
static inline attr_t parley_attr_bold(void) { return A_BOLD; }
static inline attr_t parley_attr_dim(void) { return A_DIM; }
static inline attr_t parley_attr_reverse(void) { return A_REVERSE; }
static inline attr_t parley_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t parley_attr_italic(void) { return A_ITALIC; }
static inline int parley_key_resize(void) { return KEY_RESIZE; }
static inline int parley_err(void) { return ERR; }

// The width ncurses itself uses per scalar, so layout and drawing agree.
int wcwidth(wchar_t c);

#endif
