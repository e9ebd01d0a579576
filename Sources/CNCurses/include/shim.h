#ifndef PARLEY_CNCURSES_SHIM_H
#define PARLEY_CNCURSES_SHIM_H

// Wide-character entry points (wget_wch, add_wch, cchar_t) are only declared with this defined.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 rejects mutable C globals and cannot import function-like macros,
// so the few the UI needs are exported as small inline accessors.
static inline WINDOW *parley_stdscr(void) { return stdscr; }
static inline int parley_lines(void) { return LINES; }
static inline int parley_cols(void) { return COLS; }
static inline int parley_colors(void) { return COLORS; }
static inline attr_t parley_attr_bold(void) { return A_BOLD; }
static inline attr_t parley_attr_dim(void) { return A_DIM; }
static inline attr_t parley_attr_reverse(void) { return A_REVERSE; }
static inline attr_t parley_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t parley_attr_italic(void) { return A_ITALIC; }
static inline int parley_key_resize(void) { return KEY_RESIZE; }
static inline int parley_err(void) { return ERR; }
static inline int parley_key_code_yes(void) { return KEY_CODE_YES; }
static inline int parley_key_f(int n) { return KEY_F(n); }
static inline attr_t parley_color_pair(int n) { return COLOR_PAIR(n); }

/// A screen on the process's own stdin/stdout; NULL (not an exit, as initscr does) when the
/// terminal cannot be used.
static inline SCREEN *parley_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline FILE *parley_stdout_file(void) { return stdout; }

/// Whether the terminal can put the cursor anywhere: a full screen needs it, and a "dumb"
/// terminal (or a printer) cannot.
static inline int parley_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

// Signals, handled in C (signals.c, where their state lives once for the whole program) so the
// handlers only do what is async-signal-safe: set a flag and write one byte to the run loop's
// wake-up pipe. A fatal signal restores the terminal first.

/// Remembers the terminal's settings (restored on a fatal signal) and installs the handlers, which
/// wake the run loop through `wake_fd`. Call before the screen starts, so ncurses leaves SIGWINCH
/// to us.
void parley_install_signal_handlers(int wake_fd);

/// Whether a SIGWINCH came since the last call.
int parley_take_resize(void);

/// Whether a SIGTERM, SIGHUP, SIGINT or SIGQUIT came since the last call.
int parley_take_termination(void);

/// Runs `/bin/sh -c "<command> \"$1\"" sh <argument>` on the terminal and waits for it: an editor
/// or a pager the user named, given a file. Meanwhile SIGINT and SIGQUIT (Ctrl-C in the pager) are
/// the program's, not Parley's, which would take them for quitting. Returns its exit status, 128 +
/// the signal that ended it, or -1 when it could not be started.
int parley_run_in_terminal(const char *command, const char *argument);

/// The terminal's size from the kernel, as SIGWINCH reports it; 0 when it can be read.
static inline int parley_window_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

// The width ncurses itself uses per scalar, so layout and drawing agree.
int wcwidth(wchar_t c);

#endif
