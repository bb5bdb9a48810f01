#include "progress_show.h"
#include "report.h"

#include <stdio.h>     /* fputs, stderr */
#include <stdlib.h>    /* getenv */
#include <string.h>    /* strcmp */
#include <sys/ioctl.h> /* TIOCGWINSZ: the terminal's width */
#include <unistd.h>    /* isatty */

/* One status line per process: report.h's hook is a plain function. */
static struct progress shown;
static bool on;

/* stderr is unbuffered: each piece goes out in one write. A failed write
 * (a closed pipe) is not worth a message of its own: SIGPIPE, when it
 * applies, ends the run cleanly as it would for any message. */
static void put(const char *s)
{
    if (*s)
        fputs(s, stderr);
}

static void around_message(bool before)
{
    put(before ? progress_before_message(&shown)
               : progress_after_message(&shown));
}

/* Asked at every update, so that a resized window is followed. */
static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

void progress_show_start(double now)
{
    /* A dumb terminal (Emacs' shell buffer) knows no erase-line: lines. */
    const char *term = getenv("TERM");
    bool terminal = isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
    progress_start(&shown, terminal, report.program, now);
    report.around_message = around_message;
    on = true;
}

bool progress_show_on(void)
{
    return on;
}

void progress_show_tick(const struct progress_counts *c, double now)
{
    if (progress_due(&shown, now))
        put(progress_update(&shown, c, now,
                            shown.terminal ? terminal_width() : 0));
}

double progress_show_wait(double now)
{
    return progress_wait(&shown, now);
}

void progress_show_end(const char *summary)
{
    char line[4200];
    progress_final(&shown, summary, line, sizeof line);
    report.around_message = NULL;
    on = false;
    put(line);
}
