"""Helpers for the statistics tests: a database the real hallqd created, the fixture, and
running `hallqctl stats`. Every test gets its own temporary directory, removed at exit."""
import atexit
import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
import genhistory  # noqa: E402  (bench/genhistory.py: creates databases through hallqd)

ENV = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
ENV.pop("HALLQ_DATA", None)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def eq(actual, expected, what):
    if actual != expected:
        raise Failure("%s: expected %r, got %r" % (what, expected, actual))


def workdir():
    d = tempfile.mkdtemp(prefix="hallq-stats.")
    atexit.register(shutil.rmtree, d, True)
    return d


def fixture_db(hallqd, data):
    """DATA/hallq.db made by hallqd, with tests/stats/fixture.sql loaded."""
    path = genhistory.create_db(data, hallqd)
    conn = sqlite3.connect(path)
    with open(os.path.join(HERE, "fixture.sql"), encoding="utf-8") as f:
        conn.executescript(f.read())
    conn.commit()
    conn.close()
    return path


def fixture_work(hallqd):
    """A fresh work directory and its data directory holding the fixture database, as
    (work, data)."""
    work = workdir()
    data = os.path.join(work, "data")
    fixture_db(hallqd, data)
    return work, data


def run(hallqctl, *args, data=None, ok=True, timeout=120):
    """Runs hallqctl stats ARGS; returns (exit status, stdout bytes, stderr text)."""
    argv = [hallqctl, "stats"] + list(args)
    if data:
        argv += ["--data", data]
    p = subprocess.run(argv, capture_output=True, env=ENV, timeout=timeout)
    if ok and p.returncode != 0:
        raise Failure("%s exited %d: %s" % (" ".join(argv), p.returncode,
                                            p.stderr.decode(errors="replace")))
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def csv_rows(data):
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_doc(data):
    return json.loads(data.decode("utf-8"))


class Daemon:
    """hallqd on ephemeral loopback ports; stopped (and killed if need be) at exit."""

    def __init__(self, hallqd, data, *extra, env=None):
        self.log = open(os.path.join(os.path.dirname(os.path.abspath(data)), "hallqd.log"), "a+")
        self.proc = subprocess.Popen([hallqd, "--data", data, "--request", "tcp://127.0.0.1:*",
                                      "--events", "tcp://127.0.0.1:*"] + list(extra),
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     text=True, env=env or ENV)
        atexit.register(self.kill)
        deadline = time.time() + 20
        self.request = self.events = None
        for line in self.proc.stderr:
            self.log.write(line)
            if "listening requests=" in line:
                for word in line.split():
                    if word.startswith("requests="):
                        self.request = word.split("=", 1)[1]
                    if word.startswith("events="):
                        self.events = word.split("=", 1)[1]
                break
            if time.time() > deadline:
                break
        if not self.request:
            raise Failure("hallqd did not start listening")
        # Keep draining its log so it never blocks on a full pipe.
        import threading
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.write(line)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def ctl(hallqctl, daemon, *args, timeout=10):
    env = dict(ENV, HALLQ_ENDPOINT=daemon.request, HALLQ_EVENTS=daemon.events)
    p = subprocess.run([hallqctl] + list(args), capture_output=True, text=True, env=env,
                       timeout=timeout)
    if p.returncode != 0:
        raise Failure("hallqctl %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


def main(test):
    """Runs test(argv) and reports like the e2e scripts: exit 1 with the reason on failure."""
    try:
        test(sys.argv[1:])
    except Failure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        sys.exit(1)
    print("ok")
