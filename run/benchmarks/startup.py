#!/usr/bin/env python3
"""Start-up benchmark: time from JVM start to the first 200 of /api/v1/health, and resident memory when idle.

Measured for the Patchbay server and, in the same run, for a peer: the JDK's own HTTP server answering the same
path (run/benchmarks/PeerServer.java). Figures are reported as ratios to the peer.

    python3 run/benchmarks/startup.py [--runs 5] [--idle 10] [--restart] [--jvm "-XX:TieredStopAtLevel=1 ..."]

By default every start is a first start in an empty data folder. With --restart every start reuses one data folder
(after one start that is not counted), as a server restarts: the framework storage kept in data/framework is reused.
"""
import argparse, os, re, shutil, signal, statistics, subprocess, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.join(HERE, "..", "target", "patchbay.jar")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(cmd, port, cwd, idle):
    url = f"http://127.0.0.1:{port}/api/v1/health"
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{cmd[0]} exited with {proc.returncode} before answering")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - start > 120:
                raise SystemExit("no answer within 120 s")
            time.sleep(0.01)
        ready = time.monotonic() - start
        time.sleep(idle)
        return ready, rss_kib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def start_sh_options():
    """The JVM options run/start.sh passes when JAVA_OPTS is not set."""
    options = ""
    with open(os.path.join(HERE, "..", "start.sh")) as f:
        for line in f:
            m = re.match(r'defaults\+?="(.*)"', line.strip())
            if m:
                options += m.group(1)
    return options.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle", type=float, default=10.0, help="seconds idle before reading RSS")
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--restart", action="store_true", help="reuse one data folder: measure restarts")
    ap.add_argument("--jvm", default="", help="JVM options for the server; 'start.sh' for the ones run/start.sh passes")
    a = ap.parse_args()
    if a.jvm == "start.sh":
        a.jvm = start_sh_options()
    if not os.path.exists(JAR):
        raise SystemExit("build first: mvn -B install -DskipTests")
    work = tempfile.mkdtemp(prefix="patchbay-bench-")
    classes = os.path.join(work, "peer")
    subprocess.run(["javac", "-d", classes, os.path.join(HERE, "PeerServer.java")], check=True)
    results = {"patchbay": [], "peer": []}
    try:
        server = ["java"] + a.jvm.split() + [f"-Dorg.osgi.service.http.port={a.port}", "-jar", os.path.abspath(JAR)]
        if a.restart:
            os.makedirs(os.path.join(work, "server"))
            measure(server, a.port, os.path.join(work, "server"), 0)
        for i in range(a.runs):
            run_dir = os.path.join(work, "server" if a.restart else f"run{i}")
            os.makedirs(run_dir, exist_ok=True)
            results["patchbay"].append(measure(server, a.port, run_dir, a.idle))
            results["peer"].append(measure(["java", "-cp", classes, "PeerServer", str(a.port)], a.port, run_dir,
                                           a.idle))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: (statistics.median(r for r, _ in v), statistics.median(m for _, m in v)) for k, v in results.items()}
    print(f"runs: {a.runs} ({'restarts on one data folder' if a.restart else 'first starts'}), "
          f"idle before RSS: {a.idle:.0f} s, cores: {os.cpu_count()}, server JVM options: '{a.jvm}'")
    for k, (ready, rss) in med.items():
        print(f"{k:9s} first 200 after {ready * 1000:7.0f} ms (median)   idle RSS {rss / 1024:6.1f} MiB (median)")
    pr, pm = med["patchbay"]
    qr, qm = med["peer"]
    print(f"ratio patchbay/peer: start-up {pr / qr:.1f}x, idle RSS {pm / qm:.1f}x")


if __name__ == "__main__":
    main()
