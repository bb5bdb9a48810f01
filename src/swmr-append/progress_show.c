#include "progress_show.h"
#include "report.h"

#include <stdio.h>     /* fputs, stderr */
#include <stdlib.h>    /* getenv */
#include <string.h>    /* strcmp */
#include <sys/ioctl.h> /* TIOCGWINSZ: the terminal's width */
#include <unistd.h>    /* isatty, tcgetpgrp, getpgrp */

/* One status line per process: report.h's hook is a plain function. */
static struct progress shown;
static bool on;
static bool stderr_terminal;

/* stderr is unbuffered: each piece goes out in one write. A failed write
 * (a closed pipe) is not worth a message of its own: SIGPIPE, when it
 * applies, ends the run cleanly as it would for any message. */
static void put(const char *s)
{
    if (*s)
        fputs(s, stderr);
}

/* Are we the terminal's foreground job, as pv asks? A shell with job
 * control gives the terminal to one process group at a time; a job
 * started with & (or ^Z, then bg) is not it, and a line drawn then lands
 * on the shell's prompt. Asked before every update and every message: the
 * job may be moved at any time. Into a file or a pipe, and on a terminal
 * that is not our controlling one, there is no one to draw over. */
static void follow_foreground(void)
{
    if (!stderr_terminal)
        return;
    pid_t fg = tcgetpgrp(STDERR_FILENO);
    progress_set_foreground(&shown, fg < 0 || fg == getpgrp());
}

static void around_message(bool before)
{
    if (before)
        follow_foreground();
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

void progress_show_start(double now, bool input_terminal)
{
    stderr_terminal = isatty(STDERR_FILENO);
    /* A dumb terminal (Emacs' shell buffer) knows no erase-line: lines. */
    const char *term = getenv("TERM");
    bool dumb = term && strcmp(term, "dumb") == 0;
    enum progress_mode mode = !stderr_terminal ? PROGRESS_LINES
                              : input_terminal ? PROGRESS_SUMMARY
                              : dumb ? PROGRESS_LINES : PROGRESS_IN_PLACE;
    progress_start(&shown, mode, report.program, now);
    report.around_message = around_message;
    on = true;
}

bool progress_show_on(void)
{
    return on;
}

void progress_show_tick(const struct progress_counts *c, double now)
{
    if (!progress_due(&shown, now))
        return;
    follow_foreground();
    int width = shown.mode == PROGRESS_IN_PLACE ? terminal_width() : 0;
    put(progress_update(&shown, c, now, width));
}

double progress_show_wait(double now)
{
    return progress_wait(&shown, now);
}

void progress_show_end(const char *summary)
{
    char line[4200];
    follow_foreground();
    progress_final(&shown, summary, line, sizeof line);
    report.around_message = NULL;
    on = false;
    put(line);
}
