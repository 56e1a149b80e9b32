"""What the queue and hot-swap benchmarks share: the runnable jar as a process of its own in a scratch folder, with the
test source in its plugins folder, and a small HTTP client that keeps its connection open and sends a bearer token
(the server's first admin token, or a device's secret on that device's agent calls)."""
import contextlib, http.client, io, json, os, shutil, signal, subprocess, tempfile, time, uuid, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# another build of the jar and the test source can be measured by naming them
JAR = os.environ.get("PATCHBAY_JAR", os.path.join(ROOT, "run", "target", "patchbay.jar"))
TEST_SOURCE_DIR = os.path.join(ROOT, "bundles", "io.patchbay.test.source", "target")


def test_source_jar():
    if os.environ.get("PATCHBAY_TEST_SOURCE_JAR"):
        return os.environ["PATCHBAY_TEST_SOURCE_JAR"]
    for name in sorted(os.listdir(TEST_SOURCE_DIR)):
        if name.startswith("io.patchbay.test.source-") and name.endswith(".jar"):
            return os.path.join(TEST_SOURCE_DIR, name)
    raise SystemExit("build first: mvn -B verify -DskipTests (no test source jar in " + TEST_SOURCE_DIR + ")")


def with_version(jar_bytes, version):
    """The bundle jar with its Bundle-Version replaced: a newer build of the same source, as an operator uploads."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(jar_bytes)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "META-INF/MANIFEST.MF":
                text = data.decode("utf-8").replace("\r\n ", "")
                lines = [f"Bundle-Version: {version}" if l.startswith("Bundle-Version:") else l
                         for l in text.splitlines()]
                data = ("\r\n".join(lines).strip() + "\r\n\r\n").encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


class Client:
    """One keep-alive connection; reconnects after an error. Answers (status, parsed JSON or None).

    Every request carries token as a bearer token, unless it names another (a device's secret on its agent calls)."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = None

    def request(self, method, path, body=None, content_type="application/json", timeout=60, token=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        headers = {"Content-Type": content_type} if data is not None or method in ("POST", "PUT") else {}
        if token or self.token:
            headers["Authorization"] = "Bearer " + (token or self.token)
        try:
            self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
            r = self.conn.getresponse()
            raw = r.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return r.status, parsed

    def close(self):
        if self.conn is not None:
            self.conn.close()


class Server:
    """patchbay.jar on a port, in a scratch folder (data/ and plugins/ inside), stopped with SIGTERM at the end."""

    def __init__(self, port, props=(), sources=("test",), jvm=()):
        self.port = port
        self.work = tempfile.mkdtemp(prefix="patchbay-bench-")
        self.plugins = os.path.join(self.work, "plugins")
        os.makedirs(self.plugins)
        self.props = list(props)
        self.jvm = list(jvm)
        self.sources = sources
        self.proc = None
        self.admin_token = None

    def add_test_source(self, file_name="io.patchbay.test.source.jar", config=None):
        shutil.copy(test_source_jar(), os.path.join(self.plugins, file_name))
        if config:
            with open(os.path.join(self.plugins, "io.patchbay.test.source-bench.cfg"), "w") as f:
                f.write("".join(f"{k}={v}\n" for k, v in config.items()))

    def configure(self, pid, **values):
        with open(os.path.join(self.plugins, pid + ".cfg"), "w") as f:
            f.write("".join(f"{k}={v}\n" for k, v in values.items()))

    def start(self):
        if not os.path.exists(JAR):
            raise SystemExit("build first: mvn -B verify -DskipTests (no " + JAR + ")")
        cmd = ["java"] + self.jvm + [f"-Dorg.osgi.service.http.port={self.port}",
                                     f"-Dpatchbay.data={self.work}/data",
                                     f"-Dfelix.fileinstall.dir={self.plugins}"] + self.props + ["-jar", JAR]
        self.log = open(os.path.join(self.work, "process.log"), "w")
        self.proc = subprocess.Popen(cmd, cwd=self.work, stdout=self.log, stderr=subprocess.STDOUT)
        c = Client(self.port)
        end = time.monotonic() + 180
        waiting = ["/health", "/devices?limit=1"] + [f"/sources/{s}" for s in self.sources]
        token_file = os.path.join(self.work, "data", "first-admin-token")
        while waiting:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server ended with {self.proc.returncode}; see {self.work}/process.log")
            # only /health answers without a token; guessing with none read yet would only earn 401s
            if c.token is None and os.path.exists(token_file):
                with open(token_file) as f:
                    c.token = self.admin_token = f.read().strip() or None
            if c.token is None and waiting[0] != "/health":
                if time.monotonic() > end:
                    raise SystemExit(f"the server wrote no {token_file} within 180 s")
                time.sleep(0.1)
                continue
            try:
                if c.request("GET", waiting[0])[0] == 200:
                    waiting.pop(0)
                    continue
            except Exception:
                pass
            if time.monotonic() > end:
                raise SystemExit(f"the server did not answer {waiting[0]} within 180 s")
            time.sleep(0.1)
        c.close()
        return self

    def client(self):
        """A client that authenticates as the server's first admin."""
        return Client(self.port, self.admin_token)

    def issue_device_secret(self, client, device_id):
        """A new secret for the device's agent (POST /devices/{id}/credentials, as an admin)."""
        status, body = client.request("POST", f"/devices/{device_id}/credentials", token=self.admin_token)
        if status != 201:
            raise RuntimeError(f"POST /devices/{device_id}/credentials {status} {body}")
        return body["secret"]

    def stop(self, keep=False):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if not keep:
            shutil.rmtree(self.work, ignore_errors=True)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def jdbc_drivers(work):
    """The H2 and PostgreSQL drivers the server itself carries, extracted into work: a class path for the peer."""
    with zipfile.ZipFile(JAR) as z:
        drivers = [n for n in z.namelist() if n.startswith(("jar/h2-", "jar/postgresql-"))]
        for n in drivers:
            z.extract(n, work)
    return os.pathsep.join(os.path.join(work, n) for n in drivers)


@contextlib.contextmanager
def scratch_schema(classpath, url, user, password, prefix):
    """A PostgreSQL schema of its own for one benchmark run, dropped afterwards: yields the URL that works in it."""
    schema = prefix + uuid.uuid4().hex[:10]
    peer = os.path.join(HERE, "UpdatePeer.java")
    subprocess.run(["java", "-cp", classpath, peer, "schema", url, user, password, "create", schema], check=True)
    try:
        yield url + ("&" if "?" in url else "?") + "currentSchema=" + schema
    finally:
        subprocess.run(["java", "-cp", classpath, peer, "schema", url, user, password, "drop", schema], check=False)
