#!/usr/bin/env python3
"""Job queue benchmark: 10,000 jobs queued over 10,000 devices, claimed and completed by agents.

Each device is registered by hand (no server-side host reaches it), so its job, a SCAN with the test source, waits in
the store's queue for the device's agent. Agents (concurrent clients playing them over HTTP, --agents of them) claim
each device's job (POST /agent/devices/{id}/jobs/claim) and report it done (.../report), each agent call carrying
that device's own secret. The secrets are issued by the admin (POST /devices/{id}/credentials) during the set-up, with
the devices and the jobs, outside the timed part; every other call carries the server's first admin token. Reported:
jobs claimed and completed per second, and the claim latency p50/p99 as the agent sees it. The peer, measured in the
same run on the same database with as many connections: a bare UPDATE loop that sets one row RUNNING under a lease
and then SUCCEEDED, each its own commit (run/benchmarks/UpdatePeer.java), with its own throughput and latency.

    python3 run/benchmarks/queue.py [--jobs 10000] [--agents 16] [--postgres jdbc:postgresql://127.0.0.1:5432/db]

On PostgreSQL every run works in a scratch schema of its own, dropped at the end (the user needs CREATE on the
database).
"""
import argparse, contextlib, os, shutil, subprocess, tempfile, threading, time

from benchserver import HERE, JAR, Server, jdbc_drivers, percentile, scratch_schema


def parallel(clients, items, work):
    """Runs work(client, item) over items from several keep-alive clients (count, server), each authenticated as the
    server's admin; returns (seconds, errors)."""
    it = iter(items)
    lock = threading.Lock()
    errors = []

    def run(server):
        c = server.client()
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                break
            try:
                work(c, item)
            except Exception as e:
                with lock:
                    errors.append(repr(e))
        c.close()

    start = time.monotonic()
    threads = [threading.Thread(target=run, args=(clients[1],)) for _ in range(clients[0])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - start, errors


def peer(classpath, url, user, password, rows, connections):
    out = subprocess.run(["java", "-cp", classpath, os.path.join(HERE, "UpdatePeer.java"), url, user, password,
                          str(rows), str(connections)], check=True, capture_output=True, text=True).stdout.split()
    n, seconds, p50, p99 = int(out[0]), float(out[1]), float(out[2]), float(out[3])
    return n / seconds, p50, p99


def measure(label, a, props, port):
    server = Server(port, props)
    server.add_test_source()
    server.start()
    try:
        devices, jobs, secrets = [], [], {}
        lock = threading.Lock()

        def register(c, i):
            status, body = c.request("POST", "/devices", {"hostname": f"q-{i}", "osFamily": "linux",
                                                          "timeZone": "UTC"})
            if status != 201:
                raise RuntimeError(f"POST /devices {status} {body}")
            with lock:
                devices.append(body["id"])

        def submit(c, device):
            status, body = c.request("POST", "/jobs", {"kind": "SCAN", "deviceId": device, "sourceId": "test"})
            if status != 201:
                raise RuntimeError(f"POST /jobs {status} {body}")
            with lock:
                jobs.append(body["id"])

        def issue(c, device):
            secret = server.issue_device_secret(c, device)
            with lock:
                secrets[device] = secret

        took_devices, errors = parallel((8, server), range(a.jobs), register)
        if errors:
            raise SystemExit(f"{label}: {len(errors)} device registrations failed, e.g. {errors[0]}")
        took_secrets, errors = parallel((8, server), list(devices), issue)
        if errors:
            raise SystemExit(f"{label}: {len(errors)} device secrets were not issued, e.g. {errors[0]}")
        took_jobs, errors = parallel((8, server), list(devices), submit)
        if errors:
            raise SystemExit(f"{label}: {len(errors)} job submissions failed, e.g. {errors[0]}")
        # a device of its own with no job: its agent's claim must be answered "nothing due"
        probe = server.client()
        status, body = probe.request("POST", "/devices", {"hostname": "q-probe", "osFamily": "linux",
                                                          "timeZone": "UTC"})
        if status != 201:
            raise SystemExit(f"{label}: POST /devices {status} {body}")
        status, body = probe.request("POST", f"/agent/devices/{body['id']}/jobs/claim",
                                     token=server.issue_device_secret(probe, body["id"]))
        probe.close()
        if status != 204:
            raise SystemExit(f"{label}: this server has no agent job queue (a claim answers {status} {body})")

        claims, completions, empty = [], [0], [0]

        def agent(c, device):
            # an agent told "nothing due" checks in again, as a real one does at its next interval
            give_up = time.monotonic() + 60
            while True:
                t0 = time.monotonic()
                status, claim = c.request("POST", f"/agent/devices/{device}/jobs/claim", token=secrets[device])
                took = time.monotonic() - t0
                if status != 204 or time.monotonic() > give_up:
                    break
                with lock:
                    empty[0] += 1
                time.sleep(0.2)
            if status != 200:
                raise RuntimeError(f"claim {status} {claim}")
            with lock:
                claims.append(took)
            status, body = c.request("POST", f"/agent/devices/{device}/jobs/{claim['job']['id']}/report",
                                     {"claimId": claim["claimId"], "state": "SUCCEEDED", "found": []},
                                     token=secrets[device])
            if status != 200:
                raise RuntimeError(f"report {status} {body}")
            with lock:
                completions[0] += 1

        seconds, errors = parallel((a.agents, server), list(devices), agent)
        latencies = sorted(claims)
        return {"register": a.jobs / took_devices, "secrets": a.jobs / took_secrets, "submit": a.jobs / took_jobs,
                "seconds": seconds, "claimed": len(claims) / seconds, "completed": completions[0] / seconds,
                "p50": percentile(latencies, 50) * 1000, "p99": percentile(latencies, 99) * 1000,
                "empty": empty[0], "errors": errors, "jobs": len(jobs)}
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=10_000, help="devices, one queued job each")
    ap.add_argument("--agents", type=int, default=16, help="agents claiming at once; also the peer's connections")
    ap.add_argument("--port", type=int, default=18084)
    ap.add_argument("--postgres")
    ap.add_argument("--pg-user", default="patchbay")
    ap.add_argument("--pg-password", default="patchbay")
    a = ap.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit("build first: mvn -B verify -DskipTests")
    work = tempfile.mkdtemp(prefix="patchbay-queue-bench-")
    try:
        classpath = jdbc_drivers(work)
        runs = [("H2 (embedded)", [], (f"jdbc:h2:file:{work}/peer;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", ""))]
        with contextlib.ExitStack() as schema:
            if a.postgres:
                url = schema.enter_context(scratch_schema(classpath, a.postgres, a.pg_user, a.pg_password,
                                                          "queue_bench_"))
                runs.append(("PostgreSQL", [f"-Dpatchbay.store.url={url}", f"-Dpatchbay.store.user={a.pg_user}",
                                            f"-Dpatchbay.store.password={a.pg_password}"],
                             (url, a.pg_user, a.pg_password)))
            print(f"{a.jobs} jobs over {a.jobs} devices, {a.agents} agents claiming at once, {os.cpu_count()} cores")
            for label, props, (url, user, password) in runs:
                r = measure(label, a, props, a.port)
                p_rate, p50, p99 = peer(classpath, url, user, password, a.jobs, a.agents)
                print(f"{label}: set-up, not timed: {r['register']:.0f} devices/s, {r['secrets']:.0f} device "
                      f"secrets issued/s (one per device, sent on its agent's calls), {r['submit']:.0f} job "
                      f"submissions/s (load average {os.getloadavg()[1]:.1f} over the last 5 minutes, other "
                      f"processes included)")
                print(f"  queue: {r['claimed']:7.0f} jobs/s claimed, {r['completed']:7.0f} jobs/s completed "
                      f"({r['jobs']} jobs in {r['seconds']:.1f} s; {r['empty']} claims answered 204 and were "
                      f"repeated, {len(r['errors'])} errors{': ' + r['errors'][0] if r['errors'] else ''}); "
                      f"claim latency p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms")
                print(f"  peer (bare UPDATE loop, {a.agents} connections): {p_rate:7.0f} rows/s claimed and "
                      f"completed; claim UPDATE p50 {p50:.2f} ms, p99 {p99:.2f} ms")
                print(f"  ratio queue/peer: {r['completed'] / p_rate:.2f} of the peer's throughput, "
                      f"claim p50 {r['p50'] / p50:.0f}x the peer's")
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
