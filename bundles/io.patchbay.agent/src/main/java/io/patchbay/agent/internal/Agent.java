package io.patchbay.agent.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.BlockList;
import io.patchbay.api.Devices;
import io.patchbay.api.Sources;
import io.patchbay.api.agent.BundleProblemDTO;
import io.patchbay.api.agent.CheckInDTO;
import io.patchbay.api.agent.CheckInReplyDTO;
import io.patchbay.api.agent.EnrollRequestDTO;
import io.patchbay.api.agent.EnrollmentDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.SourceState;
import io.patchbay.api.queue.JobQueue;

/**
 * The agent: enrolls once with the token, reports a job cut by a restart or reboot, checks in on the server's interval
 * (with jitter, and exponential backoff while the server is away), keeps the source bundles and the block list the
 * server gives, and keeps one long-poll claim open so that a job queued on the server starts within seconds. The job
 * itself runs in the core ({@link HttpJobQueue}). Does nothing when {@code patchbay.agent.server} is not set.
 */
@Component(immediate = true)
public class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final String LOCAL_DEVICE_PID = "io.patchbay.core.localdevice";
    /** The exit status of an agent whose enrollment the server refused. */
    static final int EXIT_REFUSED = 3;
    static final String RESTARTED = "the agent restarted during the job";
    static final String REBOOTED = "the machine rebooted during the job";
    /** Seconds the server may hold a claim request open. */
    static final int LONG_POLL_SECONDS = 30;

    private final BundleContext context;
    private final AgentSettings settings;
    private final String version;
    private final AgentBlockList blockList = new AgentBlockList();
    private final List<BundleProblemDTO> problems = new ArrayList<>();
    private final Object wait = new Object();
    private volatile boolean stopped;
    private Thread main;
    private Thread poll;
    private ServerClient client;
    private StateFolder state;
    private HttpJobQueue queue;
    private BundleSync sync;
    private ServiceRegistration<BlockList> blockListRegistration;
    private ServiceRegistration<JobQueue> queueRegistration;
    private volatile boolean checkedIn;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Sources sources;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;

    @Activate
    public Agent(BundleContext context) {
        this.context = context;
        this.version = context.getBundle().getVersion().toString();
        AgentSettings s;
        try {
            s = AgentSettings.read(context::getProperty).orElse(null);
        } catch (IllegalArgumentException e) {
            fatal("Patchbay agent cannot start: " + e.getMessage(), 2);
            s = null;
        }
        this.settings = s;
        if (settings == null) {
            LOG.info("No server is set ({}): the agent is idle", AgentSettings.SERVER);
            return;
        }
        try {
            SSLContext ssl = settings.pinSha256() == null ? null : PinnedTrust.context(settings.pinSha256());
            client = new ServerClient(settings.server(), ssl, ServerClient.mapper());
            state = new StateFolder(settings.state(), client.json());
        } catch (IOException | java.security.GeneralSecurityException e) {
            fatal("Patchbay agent cannot start: " + e.getMessage(), 2);
            return;
        }
        queue = new HttpJobQueue(client, state, Identity::bootTime);
        sync = new BundleSync(context, client, state);
        Dictionary<String, Object> rank = new Hashtable<>();
        rank.put(Constants.SERVICE_RANKING, 100);
        blockListRegistration = context.registerService(BlockList.class, blockList, rank);
        main = new Thread(this::run, "patchbay-agent");
        poll = new Thread(this::pollLoop, "patchbay-agent-claim");
        main.start();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        if (queue != null) {
            queue.closing();
        }
        synchronized (wait) {
            wait.notifyAll();
        }
        for (Thread t : new Thread[] { poll, main }) {
            if (t != null && t.isAlive()) {
                t.interrupt();
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        unregister(queueRegistration);
        unregister(blockListRegistration);
        if (queue != null) {
            queue.close();
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
    }

    /** One clear line, then the process ends with {@code status}: bundles stop in order on the way. */
    private void fatal(String message, int status) {
        LOG.error(message);
        System.err.println(message);
        stopped = true;
        Thread exit = new Thread(() -> System.exit(status), "patchbay-agent-exit");
        exit.setDaemon(false);
        exit.start();
    }

    private void run() {
        try {
            if (!enroll()) {
                return;
            }
            recoverInterruptedJob();
            checkInLoop();
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException | IOException e) {
            if (!stopped) {
                LOG.error("The agent stopped working: {}", e.toString(), e);
            }
        }
    }

    // ---- enrollment ----

    /** Enrolls unless the state folder has a device already; false when it cannot (refused, or stopping). */
    boolean enroll() throws IOException, InterruptedException {
        Optional<String> id = state.deviceId();
        Optional<String> secret = state.secret();
        if (id.isPresent() && secret.isPresent()) {
            client.device(id.get(), secret.get());
            LOG.info("Patchbay agent {}: device '{}', server {}", version, id.get(), settings.server());
            configureDevice(id.get());
            return true;
        }
        if (settings.token() == null) {
            fatal("Patchbay agent cannot enroll: this machine is not enrolled yet (no device in " + settings.state()
                    + ") and no enrollment token is given (--token)", EXIT_REFUSED);
            return false;
        }
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5),
                ThreadLocalRandom.current()::nextDouble);
        while (!stopped) {
            EnrollRequestDTO request = new EnrollRequestDTO();
            request.token = settings.token();
            request.identity = Identity.read(settings.root());
            request.agentVersion = version;
            try {
                EnrollmentDTO e = client.enroll(request);
                state.enrolled(e.deviceId, e.secret);
                client.device(e.deviceId, e.secret);
                LOG.info("Enrolled with {} as device '{}'{}", settings.server(), e.deviceId,
                        e.reenrolled ? " (this machine was known: its record and history are kept)" : "");
                if (e.identityConflict != null) {
                    LOG.warn("The server flags this machine as sharing its hardware id with another one: {}",
                            e.identityConflict);
                }
                configureDevice(e.deviceId);
                return true;
            } catch (ServerException e) {
                if (!e.transientFailure() || e.status == 429 && e.retryAfter == null) {
                    fatal("Patchbay agent: the server refused the enrollment (HTTP " + e.status + "): "
                            + (e.detail == null ? "no reason given" : e.detail), EXIT_REFUSED);
                    return false;
                }
                Duration d = e.retryAfter != null ? e.retryAfter : backoff.failed();
                LOG.warn("Enrollment with {} failed: {}; trying again in {} s", settings.server(), e.getMessage(),
                        d.toSeconds());
                sleep(d);
            }
        }
        return false;
    }

    /** The core's local device becomes this device, rooted where the agent manages it. */
    private void configureDevice(String deviceId) throws IOException {
        Configuration c = configurationAdmin.getConfiguration(LOCAL_DEVICE_PID, "?");
        Dictionary<String, Object> p = c.getProperties();
        String root = settings.root() == null ? "/" : settings.root().toString();
        if (p == null || !deviceId.equals(p.get("id")) || !root.equals(p.get("root"))) {
            Dictionary<String, Object> n = new Hashtable<>();
            n.put("id", deviceId);
            n.put("root", root);
            c.update(n);
        }
        if (queueRegistration == null) {
            queueRegistration = context.registerService(JobQueue.class, queue, null);
        }
    }

    // ---- a job cut by a restart or reboot ----

    void recoverInterruptedJob() throws IOException {
        recover(state, queue, Identity.bootTime());
    }

    /**
     * Reports the job the state folder names as running (the agent or the machine stopped during it) INTERRUPTED
     * under its claim, until the server acknowledges it or no longer holds the claim; the server's retry policy takes
     * it from there.
     *
     * @return the reason reported, or empty when no job was running
     */
    static Optional<String> recover(StateFolder state, HttpJobQueue queue, Instant bootNow) throws IOException {
        Optional<StateFolder.JobInProgress> job = state.job();
        if (job.isEmpty()) {
            return Optional.empty();
        }
        StateFolder.JobInProgress j = job.get();
        String reason = reason(j.bootTime, bootNow);
        LOG.warn("Job {} was running when the agent stopped: reporting it INTERRUPTED ({})", j.jobId, reason);
        JobReportDTO report = new JobReportDTO();
        report.claimId = j.claimId;
        report.state = JobState.INTERRUPTED;
        report.reason = reason;
        try {
            queue.report(j.jobId, report);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: {}", j.jobId, e.getMessage());
        }
        return Optional.of(reason);
    }

    /** Why a job recorded as running did not end: a boot time other than the recorded one means a reboot. */
    static String reason(Instant bootAtStart, Instant bootNow) {
        if (bootAtStart != null && bootNow != null && Math.abs(Duration.between(bootAtStart, bootNow).toSeconds()) > 2) {
            return REBOOTED;
        }
        return RESTARTED;
    }

    // ---- check-ins ----

    private void checkInLoop() throws InterruptedException, IOException {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10),
                ThreadLocalRandom.current()::nextDouble);
        while (!stopped) {
            Duration next;
            try {
                CheckInReplyDTO reply = checkIn();
                backoff.succeeded();
                blockList.set(reply.blockRules);
                if (!checkedIn) {
                    checkedIn = true;
                    LOG.info("Checked in with {}: next check-in in about {} s", settings.server(), reply.checkInSeconds);
                    poll.start();
                }
                if (reply.identityConflict != null) {
                    LOG.warn("The server flags this device: {}", reply.identityConflict);
                }
                syncBundles(reply);
                next = Backoff.interval(reply.checkInSeconds, reply.jitterSeconds,
                        ThreadLocalRandom.current()::nextDouble);
            } catch (ServerException e) {
                if (e.status == 401 || e.status == 404) {
                    LOG.warn("The server does not accept this device any more ({}); enrolling again", e.getMessage());
                    state.forgetEnrollment();
                    if (!enroll()) {
                        return;
                    }
                    continue;
                }
                next = e.retryAfter != null ? e.retryAfter : backoff.failed();
                if (e.status == 409) {
                    LOG.error("The server refuses this device's check-in as a copy of another machine: {}. An operator "
                            + "resolves it; this agent keeps trying every {} s", e.detail, next.toSeconds());
                } else {
                    LOG.warn("Check-in failed: {}; trying again in {} s", e.getMessage(), next.toSeconds());
                }
            }
            sleep(next);
        }
    }

    private CheckInReplyDTO checkIn() throws IOException {
        CheckInDTO c = new CheckInDTO();
        c.agentVersion = version;
        c.bootTime = Identity.bootTime();
        c.identity = Identity.read(settings.root());
        c.bundles = sync.running();
        synchronized (problems) {
            c.bundleProblems = problems.isEmpty() ? null : List.copyOf(problems);
        }
        c.runningJobId = queue.runningJobId();
        c.sequence = state.nextSequence();
        CheckInReplyDTO reply = client.checkIn(c);
        if (c.bundleProblems != null) {
            synchronized (problems) {
                problems.removeAll(c.bundleProblems);
            }
        }
        return reply;
    }

    private void syncBundles(CheckInReplyDTO reply) throws InterruptedException {
        if (reply.bundles == null) {
            return;
        }
        if (queue.busy()) {
            LOG.debug("A job runs: the source bundles are brought in line at the next check-in");
            return;
        }
        try {
            List<BundleProblemDTO> found = sync.apply(reply.bundles);
            synchronized (problems) {
                problems.addAll(found);
            }
        } catch (IOException e) {
            LOG.warn("The source bundles could not be brought in line: {}", e.getMessage());
        }
    }

    // ---- the long poll ----

    private void pollLoop() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2),
                ThreadLocalRandom.current()::nextDouble);
        while (!stopped) {
            try {
                queue.takeStale(Duration.ofSeconds(30)).ifPresent(this::giveBack);
                List<String> ids = sourceIds();
                if (!queue.wantsClaim() || ids.isEmpty() || !deviceReady()) {
                    sleep(Duration.ofMillis(500));
                    continue;
                }
                Optional<JobClaimDTO> claim = client.claim(LONG_POLL_SECONDS, ids);
                backoff.succeeded();
                if (claim.isPresent()) {
                    if (stopped) {
                        giveBack(claim.get());
                        return;
                    }
                    queue.offer(claim.get());
                }
            } catch (ServerException e) {
                if (stopped) {
                    return;
                }
                Duration d = e.retryAfter != null ? e.retryAfter : backoff.failed();
                LOG.debug("Claiming a job failed: {}; trying again in {} ms", e.getMessage(), d.toMillis());
                try {
                    sleep(d);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Claiming a job failed: {}", e.toString());
                try {
                    sleep(Duration.ofSeconds(5));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void giveBack(JobClaimDTO c) {
        queue.release(c.job.id, c.claimId, JobState.WAITING, "source '" + c.job.sourceId + "' is not available on the "
                + "device's agent", Instant.now());
    }

    /** The core's local device already answers to this device's id: a claimed job finds its device and host. */
    private boolean deviceReady() {
        Devices d = devices;
        String id = client.deviceId();
        return d != null && id != null && d.get(id).isPresent();
    }

    /** The sources that take jobs here now. */
    private List<String> sourceIds() {
        Sources s = sources;
        if (s == null) {
            return List.of();
        }
        return s.sources().stream().filter(d -> SourceState.ACTIVE.value().equals(d.state)).map(d -> d.id)
                .filter(Objects::nonNull).distinct().sorted().toList();
    }

    private void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        synchronized (wait) {
            while (!stopped) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(wait, left);
            }
        }
        if (stopped) {
            throw new InterruptedException("stopping");
        }
    }
}
