#!/usr/bin/env python3
"""API throughput benchmark: sustained writes (POST /api/v1/devices) and reads (GET /api/v1/devices/{id}) per
second, on embedded H2 and on PostgreSQL, each against a peer measured in the same run: GET /api/v1/health on the
same server, which goes through the same HTTP and JAX-RS stack without touching the store.

    python3 run/benchmarks/api.py [--seconds 20] [--clients 8] [--postgres jdbc:postgresql://127.0.0.1:5432/bench]

PostgreSQL is measured when --postgres is given (user and password: --pg-user, --pg-password).
"""
import argparse, json, os, shutil, signal, subprocess, tempfile, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.abspath(os.path.join(HERE, "..", "target", "patchbay.jar"))


# the server's first admin token, read from its data folder once it has written it
TOKEN = {"value": None}


def request(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if TOKEN["value"]:
        headers["Authorization"] = "Bearer " + TOKEN["value"]
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()


def load(seconds, clients, work):
    """Runs work(i) from several threads for a fixed time; returns completed operations per second."""
    done = [0] * clients
    errors = [0] * clients
    end = time.monotonic() + seconds

    def client(n):
        i = 0
        while time.monotonic() < end:
            try:
                work(n * 1_000_000 + i)
                done[n] += 1
            except Exception:
                errors[n] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    if sum(errors):
        print(f"  ({sum(errors)} failed requests)")
    return sum(done) / elapsed


def measure(label, props, port, seconds, clients):
    work_dir = tempfile.mkdtemp(prefix="patchbay-api-bench-")
    cmd = ["java", f"-Dorg.osgi.service.http.port={port}", f"-Dpatchbay.data={work_dir}/data"] + props + ["-jar", JAR]
    proc = subprocess.Popen(cmd, cwd=work_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        token_file = os.path.join(work_dir, "data", "first-admin-token")
        TOKEN["value"] = None
        for _ in range(600):
            try:
                if TOKEN["value"] is None and os.path.exists(token_file):
                    with open(token_file) as f:
                        TOKEN["value"] = f.read().strip() or None
                if request("GET", base + "/devices?limit=1")[0] == 200:
                    break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit(f"{label}: the server did not come up")
        ids = []
        lock = threading.Lock()

        def write(i):
            status, body = request("POST", base + "/devices", {"hostname": f"bench-{i}", "osFamily": "linux",
                                                               "timeZone": "Europe/Berlin", "tags": ["bench"]})
            with lock:
                ids.append(json.loads(body)["id"])

        def read(i):
            request("GET", base + "/devices/" + ids[i % len(ids)])

        def peer(i):
            request("GET", base + "/health")

        load(3, clients, write)  # warm-up
        writes = load(seconds, clients, write)
        reads = load(seconds, clients, read)
        health = load(seconds, clients, peer)
        return writes, reads, health
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work_dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--port", type=int, default=18081)
    ap.add_argument("--postgres")
    ap.add_argument("--pg-user", default="patchbay")
    ap.add_argument("--pg-password", default="patchbay")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit("build first: mvn -B install -DskipTests")
    runs = [("H2 (embedded)", [])]
    if a.postgres:
        runs.append(("PostgreSQL", [f"-Dpatchbay.store.url={a.postgres}", f"-Dpatchbay.store.user={a.pg_user}",
                                    f"-Dpatchbay.store.password={a.pg_password}"]))
    print(f"{a.clients} clients, {a.seconds:.0f} s per measurement, {os.cpu_count()} cores")
    for label, props in runs:
        writes, reads, health = measure(label, props, a.port, a.seconds, a.clients)
        print(f"{label:14s} writes {writes:7.0f}/s ({writes / health:.2f} of peer)   reads {reads:7.0f}/s "
              f"({reads / health:.2f} of peer)   peer GET /health {health:7.0f}/s")


if __name__ == "__main__":
    main()
