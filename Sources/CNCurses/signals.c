#include "shim.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

// The signal handlers' state: one copy for the whole program (a `static` in the header would give
// each file that includes it its own).
static int wake_fd = -1;
static volatile sig_atomic_t pending_resize = 0;
static volatile sig_atomic_t pending_termination = 0;
static struct termios original_termios;
static volatile sig_atomic_t has_original_termios = 0;

static void wake(void) {
    if (wake_fd >= 0) {
        char byte = 1;
        ssize_t written = write(wake_fd, &byte, 1);
        (void)written;
    }
}

static void on_resize(int signal_number) {
    (void)signal_number;
    pending_resize = 1;
    wake();
}

static void on_termination(int signal_number) {
    (void)signal_number;
    pending_termination = 1;
    wake();
}

static void on_fatal(int signal_number) {
    if (has_original_termios) tcsetattr(STDIN_FILENO, TCSANOW, &original_termios);
    // Mouse reports off too: harmless where they were never on.
    static const char reset[] = "\033[?2004l\033[?1006l\033[?1000l\033[0m\033[?25h\033[?1049l\r\n";
    ssize_t written = write(STDOUT_FILENO, reset, sizeof reset - 1);
    static const char message[] =
        "parley: an internal error stopped the app; the terminal was restored. Saved conversations are kept.\n";
    written = write(STDERR_FILENO, message, sizeof message - 1);
    (void)written;
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void parley_install_signal_handlers(int fd) {
    wake_fd = fd;
    if (tcgetattr(STDIN_FILENO, &original_termios) == 0) has_original_termios = 1;
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    action.sa_handler = on_resize;
    sigaction(SIGWINCH, &action, NULL);
    action.sa_handler = on_termination;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGQUIT, &action, NULL);
    action.sa_flags = SA_RESETHAND;
    action.sa_handler = on_fatal;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);
    sigaction(SIGFPE, &action, NULL);
    sigaction(SIGABRT, &action, NULL);
    sigaction(SIGTRAP, &action, NULL);
}

int parley_take_resize(void) {
    int pending = pending_resize;
    pending_resize = 0;
    return pending;
}

int parley_take_termination(void) {
    int pending = pending_termination;
    pending_termination = 0;
    return pending;
}

int parley_run_in_terminal(const char *command, const char *argument) {
    static const char tail[] = " \"$1\"";
    size_t length = strlen(command);
    char *script = malloc(length + sizeof tail);
    if (script == NULL) return -1;
    memcpy(script, command, length);
    memcpy(script + length, tail, sizeof tail);

    struct sigaction ignore, old_interrupt, old_quit;
    sigemptyset(&ignore.sa_mask);
    ignore.sa_flags = 0;
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ignore, &old_interrupt);
    sigaction(SIGQUIT, &ignore, &old_quit);

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults, unblocked;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGWINCH);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigemptyset(&unblocked);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &unblocked);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    char *arguments[] = {"sh", "-c", script, "sh", (char *)argument, NULL};
    pid_t child;
    int started = posix_spawn(&child, "/bin/sh", NULL, &attributes, arguments, environ);
    posix_spawnattr_destroy(&attributes);
    free(script);
    int result = -1;
    if (started == 0) {
        int status = 0;
        pid_t waited;
        do {
            waited = waitpid(child, &status, 0);
        } while (waited < 0 && errno == EINTR);
        if (waited == child && WIFEXITED(status)) result = WEXITSTATUS(status);
        else if (waited == child && WIFSIGNALED(status)) result = 128 + WTERMSIG(status);
    }
    sigaction(SIGINT, &old_interrupt, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return result;
}
