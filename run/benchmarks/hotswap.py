#!/usr/bin/env python3
"""Hot swap under load: a steady rate of mixed requests (reads of devices, sources and jobs, and job submissions)
while the test source's bundle is replaced, first over REST (PUT /sources/test/bundle) and then through the plugins
folder (a newer jar copied over the old one). Reports failed requests (any answer but 2xx, or none), jobs lost or run
twice, and each swap's time: the PUT's answer for REST, the time until /sources/test names the new version for the
plugins folder. The load's peer is the same mix measured in the same run with no swap. Every request, the peer's
included, carries the server's first admin token.

    python3 run/benchmarks/hotswap.py [--rate 600] [--swaps 10] [--postgres jdbc:postgresql://...]
"""
import argparse, contextlib, os, random, shutil, statistics, tempfile, threading, time

from benchserver import Server, jdbc_drivers, percentile, scratch_schema, test_source_jar, with_version


class Load:
    """Requests at a fixed total rate from several clients, each with a keep-alive connection."""

    def __init__(self, server, rate, clients, devices, submit_share):
        self.server, self.rate, self.clients = server, rate, clients
        self.devices, self.submit_share = devices, submit_share
        self.stop_at = None
        self.lock = threading.Lock()
        self.sent = self.failed = 0
        self.failures = {}
        self.jobs = []
        self.latency = {}

    def run(self, seconds=None):
        self.stop_flag = threading.Event()
        threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(self.clients)]
        self.started = time.monotonic()
        for t in threads:
            t.start()
        self.threads = threads
        if seconds is not None:
            time.sleep(seconds)
            return self.finish()

    def finish(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()
        self.elapsed = time.monotonic() - self.started
        return self

    def client(self, n):
        c = self.server.client()
        rnd = random.Random(n)
        interval = self.clients / self.rate
        next_at = time.monotonic() + rnd.random() * interval
        while not self.stop_flag.is_set():
            now = time.monotonic()
            if now < next_at:
                time.sleep(next_at - now)
            next_at += interval
            pick = rnd.random()
            t0 = time.monotonic()
            kind = "GET /sources"
            try:
                if pick < self.submit_share:
                    kind = "POST /jobs"
                    status, body = c.request("POST", "/jobs", {"kind": "SCAN", "deviceId": "local", "sourceId": "test"})
                    if status == 201:
                        with self.lock:
                            self.jobs.append(body["id"])
                elif pick < self.submit_share + 0.3:
                    kind = "GET /devices/{id}"
                    status, _ = c.request("GET", "/devices/" + rnd.choice(self.devices))
                elif pick < self.submit_share + 0.5 and self.jobs:
                    kind = "GET /jobs/{id}"
                    status, _ = c.request("GET", "/jobs/" + rnd.choice(self.jobs[-200:]))
                else:
                    status, _ = c.request("GET", "/sources")
            except Exception as e:
                status = type(e).__name__
            took = time.monotonic() - t0
            with self.lock:
                self.latency.setdefault(kind, []).append(took)
                self.sent += 1
                if not (isinstance(status, int) and 200 <= status < 300):
                    self.failed += 1
                    self.failures[status] = self.failures.get(status, 0) + 1
        c.close()


def swap_rest(server, jar):
    c = server.client()
    start = time.monotonic()
    status, body = c.request("PUT", "/sources/test/bundle", jar, content_type="application/java-archive",
                             timeout=120)
    took = time.monotonic() - start
    c.close()
    if status != 200:
        raise SystemExit(f"PUT /sources/test/bundle answered {status}: {body}")
    return took


def swap_plugins(server, jar, version):
    tmp = os.path.join(server.plugins, ".incoming.tmp")
    with open(tmp, "wb") as f:
        f.write(jar)
    c = server.client()
    start = time.monotonic()
    os.replace(tmp, os.path.join(server.plugins, "io.patchbay.test.source.jar"))
    while True:
        status, body = c.request("GET", "/sources/test")
        if status == 200 and body.get("bundleVersion") == version and body.get("state") == "ACTIVE":
            break
        if time.monotonic() - start > 120:
            raise SystemExit(f"the plugins folder's {version} did not arrive within 120 s: {status} {body}")
        time.sleep(0.01)
    c.close()
    return time.monotonic() - start


def account(server, jobs):
    """Every job the load had answered 201 for, once it ended: done once, done twice, or lost."""
    c = server.client()
    ended, lost, doubled, retried, states = 0, [], [], 0, {}
    retries_of = {}
    cursor = None
    while True:
        status, page = c.request("GET", "/jobs?deviceId=local&limit=500" + (f"&cursor={cursor}" if cursor else ""))
        for j in page["items"]:
            if j.get("retryOf"):
                retries_of.setdefault(j["retryOf"], []).append(j)
        cursor = page.get("next")
        if not cursor:
            break
    for job in jobs:
        status, j = c.request("GET", f"/jobs/{job}?waitSeconds=60")
        if status != 200 or j["state"] in ("QUEUED", "WAITING", "RUNNING"):
            lost.append((job, status, j and j.get("state")))
            continue
        chain, done = [j], 0
        while chain:
            x = chain.pop()
            states[x["state"]] = states.get(x["state"], 0) + 1
            if x["state"] == "SUCCEEDED":
                done += 1
            more = retries_of.get(x["id"], [])
            retried += len(more)
            for r in more:
                status, r2 = c.request("GET", f"/jobs/{r['id']}?waitSeconds=60")
                chain.append(r2)
        if done == 0:
            lost.append((job, "no attempt succeeded", j["state"]))
        elif done > 1:
            doubled.append(job)
        else:
            ended += 1
    c.close()
    return ended, lost, doubled, retried, states


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=600, help="requests per second, all clients together")
    ap.add_argument("--clients", type=int, default=24)
    ap.add_argument("--swaps", type=int, default=10, help="replacements over REST, then as many through plugins/")
    ap.add_argument("--pause", type=float, default=1.0, help="seconds of load between swaps")
    ap.add_argument("--submit-share", type=float, default=0.05, help="share of requests that submit a job")
    ap.add_argument("--port", type=int, default=18083)
    ap.add_argument("--postgres")
    ap.add_argument("--pg-user", default="patchbay")
    ap.add_argument("--pg-password", default="patchbay")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="patchbay-swap-bench-")
    try:
        with contextlib.ExitStack() as schema:
            props = []
            if a.postgres:
                url = schema.enter_context(scratch_schema(jdbc_drivers(work), a.postgres, a.pg_user, a.pg_password,
                                                          "swap_bench_"))
                props = [f"-Dpatchbay.store.url={url}", f"-Dpatchbay.store.user={a.pg_user}",
                         f"-Dpatchbay.store.password={a.pg_password}"]
            run(a, props)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(a, props):
    server = Server(a.port, props)
    server.add_test_source()
    # every job goes to the server's own device, the one device a source in this server reaches
    server.configure("io.patchbay.core", maxPendingJobsPerDevice=1_000_000)
    server.start()
    try:
        c = server.client()
        devices = [c.request("POST", "/devices", {"hostname": f"swap-{i}", "osFamily": "linux",
                                                   "timeZone": "UTC"})[1]["id"] for i in range(50)]
        c.close()
        base = open(test_source_jar(), "rb").read()

        # the same load first without a swap, after a warm-up, as the peer
        warm = Load(server, a.rate, a.clients, devices, a.submit_share).run(seconds=15)
        peer = Load(server, a.rate, a.clients, devices, a.submit_share).run(seconds=20)
        load = Load(server, a.rate, a.clients, devices, a.submit_share)
        load.run()
        time.sleep(3)
        rest, plugins = [], []
        for i in range(a.swaps):
            rest.append(swap_rest(server, with_version(base, f"1.0.{i + 1}")))
            time.sleep(a.pause)
        for i in range(a.swaps):
            plugins.append(swap_plugins(server, with_version(base, f"2.0.{i + 1}"), f"2.0.{i + 1}"))
            time.sleep(a.pause)
        time.sleep(3)
        load.finish()
        ended, lost, doubled, retried, states = account(server, warm.jobs + peer.jobs + load.jobs)

        print(f"store: {'PostgreSQL' if a.postgres else 'H2 (embedded)'}, {os.cpu_count()} cores (load average "
              f"{os.getloadavg()[1]:.1f} over the last 5 minutes, other processes included), "
              f"{a.clients} clients, target {a.rate:.0f} requests/s, {a.submit_share:.0%} job submissions")
        print(f"peer (same mix, no swap): {peer.sent / peer.elapsed:6.0f} requests/s over {peer.elapsed:.0f} s, "
              f"{peer.failed} failed {peer.failures or ''}")
        print(f"under swaps:              {load.sent / load.elapsed:6.0f} requests/s over {load.elapsed:.0f} s, "
              f"{load.failed} failed {load.failures or ''}")
        for label, l in (("peer", peer), ("under swaps", load)):
            print(f"  latency {label}: " + ", ".join(
                f"{k} p50 {percentile(sorted(v), 50) * 1000:.0f} ms p99 {percentile(sorted(v), 99) * 1000:.0f} ms"
                for k, v in sorted(l.latency.items())))
        for label, times in (("REST PUT /sources/test/bundle", rest), ("plugins/ jar replaced", plugins)):
            s = sorted(times)
            print(f"{label:30s} {len(s)} swaps: median {statistics.median(s) * 1000:6.0f} ms, "
                  f"max {s[-1] * 1000:6.0f} ms")
        print(f"jobs submitted (201): {len(warm.jobs) + len(peer.jobs) + len(load.jobs)}; ended with exactly one success: {ended}; "
              f"lost: {len(lost)}; run twice: {len(doubled)}; retries after an interrupted attempt: {retried}; "
              f"final states of all attempts: {states}")
        for x in lost[:10]:
            print("  lost:", x)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
