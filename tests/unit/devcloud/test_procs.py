import os
import signal
import socket
import subprocess
import sys
import time

from squall.devcloud import procs


def _ignoring_sigterm() -> subprocess.Popen[bytes]:
    code = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"
    child.stdout.close()
    return child


def test_start_time_identifies_a_process():
    assert procs.start_time(os.getpid()) is not None
    me = procs.Tracked("me", os.getpid(), procs.start_time(os.getpid()) or 0)
    assert procs.is_alive(me)
    assert not procs.is_alive(procs.Tracked("me", os.getpid(), me.start_time + 1))


def test_tree_and_rss_include_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        pids = procs.tree_pids(os.getpid())
        assert child.pid in pids
        assert procs.rss_bytes([os.getpid()]) > 1_000_000
    finally:
        child.kill()
        child.wait()


def test_terminate_escalates_to_sigkill_after_grace():
    child = _ignoring_sigterm()
    tracked = procs.Tracked("stubborn", child.pid, procs.start_time(child.pid) or 0)
    started = time.monotonic()
    outcome = procs.terminate([tracked], grace=0.5)
    assert outcome == {"stubborn": "killed"}
    assert time.monotonic() - started < 5
    assert child.wait(timeout=5) == -signal.SIGKILL
    assert not procs.is_alive(tracked)


def test_terminate_reports_a_clean_stop():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    tracked = procs.Tracked("polite", child.pid, procs.start_time(child.pid) or 0)
    time.sleep(0.1)
    assert procs.terminate([tracked], grace=5) == {"polite": "stopped"}
    child.wait(timeout=5)


def test_terminate_never_signals_a_reused_pid():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        wrong = procs.Tracked("other", child.pid, (procs.start_time(child.pid) or 0) + 7)
        assert procs.terminate([wrong], grace=0.1) == {}
        assert child.poll() is None
    finally:
        child.kill()
        child.wait()


def test_port_checks_see_a_listener():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert not procs.port_free(port)
        assert procs.port_open(port)
        assert procs.listener_pid(port) == os.getpid()
    assert procs.port_free(port)
    assert not procs.port_open(port)


def test_spawn_logs_and_detaches(tmp_path):
    tracked = procs.spawn(
        ("sh", "-c", "echo hello; echo oops >&2"),
        env={"PATH": "/usr/bin:/bin"},
        log=tmp_path / "x.out",
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 5
    while procs.is_alive(tracked) and time.monotonic() < deadline:
        procs.reap()
        time.sleep(0.05)
    procs.reap()
    assert (tmp_path / "x.out").read_text() == "hello\noops\n"
    assert tracked.name == "x"


def test_terminate_stops_daemons_that_left_the_tree_but_not_the_session(tmp_path):
    # a service that daemonizes a helper, as cinder does with its privsep daemons
    pid_file = tmp_path / "daemon.pid"
    code = (
        "import os, sys, time\n"
        "if os.fork() == 0:\n"
        "    if os.fork() == 0:\n"
        f"        open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "        time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(60)\n"
    )
    leader = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the daemon did not start"
            time.sleep(0.05)
        daemon = int(pid_file.read_text())
        assert daemon not in procs.tree_pids(leader.pid)  # it left the tree
        assert daemon in procs.session_members(leader.pid)
        tracked = procs.Tracked("service", leader.pid, procs.start_time(leader.pid) or 0)
        assert procs.terminate([tracked], grace=5) == {"service": "stopped"}
        assert procs.state_of(daemon) in (None, "Z")
    finally:
        leader.kill()
        leader.wait()
