# What a real terminal shows: a command in a tmux pane ("term") on a tmux
# server of the test's own, and the screen read back. For the tests of
# swmr-watch's live view and swmr-append --progress. Load after helper.

# The server's socket lives in the test's own folder: nothing is left
# behind. A test that wants a second terminal sets TMUX_SOCKET to another
# socket there ($BATS_TEST_TMPDIR/tmux-b) before starting it: restarting
# one server on the same socket races with its exit.
TMUX_SOCKET=

# tmux ARGS on the test's server. The server must not inherit bats' fd 3 or
# the FIFO a test writes through (fd 7): its reader would never see the end
# of its input.
tmux_() {
    tmux -S "${TMUX_SOCKET:=$BATS_TEST_TMPDIR/tmux}" "$@" 3>&- 7>&-
}

# Skip the test where tmux is not installed (before starting anything
# else, if it starts other processes first).
need_tmux() {
    command -v tmux >/dev/null || skip "tmux is not installed"
}

# tmux_start COLS ROWS COMMAND: the shell line COMMAND in a terminal of
# COLS x ROWS, in the test's folder.
tmux_start() {
    need_tmux
    tmux_ new-session -d -s term -x "$1" -y "$2" -c "$PWD" "$3"
}

# pane [ARGS]: the terminal's lines (capture-pane ARGS: -J joins the lines
# the terminal wrapped, -e keeps colours and attributes).
pane() {
    tmux_ capture-pane -p "$@" -t term
}

# wait_pane TEXT: until the terminal shows TEXT (in a line it wrapped too).
wait_pane() {
    wait_until 120 eval "pane -J | grep -qF -- $(printf %q "$1")" || {
        echo "expected '$1' on the terminal:" >&2
        pane >&2
        return 1
    }
}

# tmux_stop: end every tmux server the test started (its teardown).
tmux_stop() {
    local socket
    for socket in "$BATS_TEST_TMPDIR"/tmux*; do
        [ -S "$socket" ] && tmux -S "$socket" kill-server 2>/dev/null
    done
    return 0
}
