package io.patchbay.core.internal;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.AgentJobs;
import io.patchbay.api.BlockList;
import io.patchbay.api.Devices;
import io.patchbay.api.HostProvider;
import io.patchbay.api.InUseException;
import io.patchbay.api.JobListener;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.Jobs;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.SourceDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.SourceConstants;
import io.patchbay.api.source.TargetSettings;
import io.patchbay.api.source.UpdateSource;

/**
 * The DS component that offers the {@link Sources}, {@link Jobs} and {@link AgentJobs} services: it follows
 * update-source services as they come and go into the {@link SourceRegistry}, and hands jobs to the {@link JobRunner},
 * which keeps them in the store's queue and runs them. Sources are held by reference only; their service object is got for the length of one job and given back.
 */
@Component(service = { Sources.class, Jobs.class, AgentJobs.class }, configurationPid = SourcesAndJobs.PID)
@Designate(ocd = SourcesAndJobs.Config.class)
public class SourcesAndJobs implements Sources, Jobs, AgentJobs {
    static final String PID = "io.patchbay.core";
    /** The framework property that names this server node; a random id per start when it is not set. */
    static final String NODE_ID = "patchbay.node.id";
    private static final Logger LOG = LoggerFactory.getLogger(SourcesAndJobs.class);

    @ObjectClassDefinition(name = "Patchbay sources and jobs")
    public @interface Config {
        @AttributeDefinition(description = "Jobs that may run at once, on different devices")
        int workers() default 4;

        @AttributeDefinition(description = "Minutes a job may run when its request sets no deadline")
        int defaultTimeoutMinutes() default 120;

        @AttributeDefinition(description = "Seconds a source gets to stop when asked, before it is interrupted")
        int graceSeconds() default 5;

        @AttributeDefinition(description = "Tries of a job that is interrupted (its source left, the server stopped, "
                + "its node or agent stopped renewing its lease)")
        int maxAttempts() default 3;

        @AttributeDefinition(description = "Seconds a claim on a job holds unless renewed; a node renews its claims "
                + "three times as often, and another node takes a job over once its claim has run out")
        int leaseSeconds() default 30;

        @AttributeDefinition(description = "Updates one install or rollback job may name; more are refused (400)")
        int maxUpdatesPerJob() default 1000;

        @AttributeDefinition(description = "Jobs not yet ended one device may have; more are refused (429) until some end")
        int maxPendingJobsPerDevice() default 100;
    }

    private final BundleContext context;
    private final SourceRegistry registry = new SourceRegistry();
    private final JobRunner runner;
    /** Sources whose bundle is being replaced: a second replace meanwhile would find the source gone (404). */
    private final Set<String> replacing = ConcurrentHashMap.newKeySet();

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockList blockList;

    // dynamic, so that a higher-ranked clock (a test's) is taken without restarting the runner and losing its jobs
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    /**
     * The runner's clock: always the highest-ranked Clock service of the moment. SCR may bind sources (and so
     * dispatch) before it sets the clock field; until then the time is UTC's, which is what the core's Clock gives.
     */
    private final Clock followingClock = new Clock() {
        private Clock current() {
            Clock c = clock;
            return c != null ? c : Clock.systemUTC();
        }

        @Override
        public ZoneId getZone() {
            return current().getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return current().withZone(zone);
        }

        @Override
        public Instant instant() {
            return current().instant();
        }
    };

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;

    // optional and dynamic: sources keep working while the store restarts, and jobs wait in it meanwhile
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile JobQueue queue;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<HostProvider> hostProviders;

    // held as references and got when a job ends, never while this activates: the store's listener needs Jobs
    @Reference(service = JobListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<JobListener>> listeners;
    /** The listener objects got so far; used only on the runner's event thread. */
    private final Map<ServiceReference<JobListener>, JobListener> listenerObjects = new HashMap<>();

    @Activate
    public SourcesAndJobs(BundleContext context, Config config) {
        this.context = context;
        DeviceSettings deviceSettings = DeviceSettings.of(context);
        String node = context.getProperty(NODE_ID);
        JobRunner.Settings settings = new JobRunner.Settings(Math.max(1, config.workers()),
                Duration.ofMinutes(Math.max(1, config.defaultTimeoutMinutes())),
                Duration.ofSeconds(Math.max(1, config.graceSeconds())), Math.max(1, config.maxAttempts()),
                Math.max(1, config.maxUpdatesPerJob()), Math.max(1, config.maxPendingJobsPerDevice()),
                Duration.ofSeconds(Math.max(1, config.leaseSeconds())),
                node == null || node.isBlank() ? JobRunner.newNodeId() : node.strip());
        this.runner = new JobRunner(followingClock, settings, registry, new JobRunner.Environment() {
            @Override
            public Optional<DeviceDTO> device(String id) {
                return devices.get(id);
            }

            @Override
            public Optional<Host> host(DeviceDTO device) {
                List<HostProvider> providers = hostProviders;
                // DS orders by ranking, lowest first: ask the highest first
                for (int i = providers.size() - 1; i >= 0; i--) {
                    Optional<Host> host = providers.get(i).hostFor(device);
                    if (host.isPresent()) {
                        return host;
                    }
                }
                return Optional.empty();
            }

            @Override
            public Optional<BlockRuleDTO> blocked(UpdateDTO update) {
                return blockList.match(update);
            }

            @Override
            public TargetSettings settings(DeviceDTO device, String runId) {
                return deviceSettings.of(device, runId);
            }

            @Override
            public boolean serverStopping() {
                try {
                    // the framework is STOPPING from its stop() until every bundle has stopped
                    return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.STOPPING;
                } catch (IllegalStateException e) {
                    return true;
                }
            }

            @Override
            public void jobEnded(JobDTO job) {
                List<ServiceReference<JobListener>> present = listeners;
                listenerObjects.keySet().retainAll(present);
                for (ServiceReference<JobListener> ref : present) {
                    JobListener listener = listenerObjects.computeIfAbsent(ref, SourcesAndJobs.this::listener);
                    if (listener == null) {
                        continue;
                    }
                    try {
                        listener.jobEnded(job);
                    } catch (RuntimeException e) {
                        LOG.warn("Job listener {} failed on job {}", listener.getClass().getName(), job.id, e);
                    }
                }
            }
        }, () -> queue);
    }

    @Deactivate
    void deactivate() {
        runner.close();
        listenerObjects.keySet().forEach(this::unget);
        listenerObjects.clear();
    }

    private JobListener listener(ServiceReference<JobListener> ref) {
        try {
            return context.getService(ref);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return null;
        }
    }

    private void unget(ServiceReference<?> ref) {
        try {
            context.ungetService(ref);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the service or this bundle is already gone
        }
    }

    @Reference(service = UpdateSource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addSource(ServiceReference<UpdateSource> ref) {
        SourceEntry entry = entry(ref);
        if (entry == null) {
            return;
        }
        registry.put(entry);
        LOG.info("{} arrived", entry.describe());
        runner.sourceArrived();
    }

    void updatedSource(ServiceReference<UpdateSource> ref) {
        SourceEntry entry = entry(ref);
        if (entry == null) {
            removeSource(ref);
            return;
        }
        // replaced in one step: no snapshot shows the source gone while only its properties change
        Optional<SourceEntry> old = registry.put(entry);
        if (old.isPresent() && !old.get().id().equals(entry.id())) {
            // the service now answers to another id: its jobs under the old id stop
            runner.sourceLeaving(old.get());
        }
        runner.sourceArrived();
    }

    void removeSource(ServiceReference<UpdateSource> ref) {
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        registry.remove(serviceId).ifPresent(entry -> {
            LOG.info("{} is leaving", entry.describe());
            runner.sourceLeaving(entry);
        });
    }

    private SourceEntry entry(ServiceReference<UpdateSource> ref) {
        String type = string(ref.getProperty(SourceConstants.SOURCE_TYPE));
        Bundle bundle = ref.getBundle();
        if (type == null || bundle == null) {
            LOG.warn("Ignoring an UpdateSource service without {} (service {} of {})", SourceConstants.SOURCE_TYPE,
                    ref.getProperty(Constants.SERVICE_ID), bundle == null ? "?" : bundle.getSymbolicName());
            return null;
        }
        String id = string(ref.getProperty(SourceConstants.SOURCE_ID));
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new SourceEntry(id == null ? type : id, type, strings(ref.getProperty(SourceConstants.SOURCE_PLATFORMS)),
                bundle.getSymbolicName(), bundle.getVersion().toString(), (Long) ref.getProperty(Constants.SERVICE_ID),
                ranking instanceof Integer r ? r : 0, () -> lease(ref), bundle.getBundleId());
    }

    private SourceEntry.Lease lease(ServiceReference<UpdateSource> ref) {
        ServiceObjects<UpdateSource> objects;
        try {
            objects = context.getServiceObjects(ref);
        } catch (IllegalStateException e) {
            return null;
        }
        if (objects == null) {
            return null;
        }
        UpdateSource source = objects.getService();
        return new SourceEntry.Lease() {
            @Override
            public UpdateSource source() {
                return source;
            }

            @Override
            public void close() {
                if (source != null) {
                    try {
                        objects.ungetService(source);
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        // the service or our bundle is already gone
                    }
                }
            }
        };
    }

    private static String string(Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        return null;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    // ---- Sources ----

    @Override
    public List<SourceDTO> sources() {
        // values first, then the snapshot: neither side calls the other while holding a lock
        Map<Long, Integer> running = runner.runningJobsByServiceId();
        Set<String> draining = runner.drainingSources();
        return registry.snapshot().list(running, draining);
    }

    @Override
    public Optional<SourceDTO> source(String id) {
        return sources().stream().filter(s -> s.id.equals(id) && !SourceRegistry.STANDBY.equals(s.state))
                .findFirst();
    }

    private SourceDTO existing(String id) {
        return source(id).orElseThrow(() -> new NotFoundException("source", id));
    }

    @Override
    public SourceDTO drain(String id, Duration wait) throws InterruptedException {
        existing(id);
        int running = runner.drain(id, wait);
        LOG.info("Source '{}' drained{}", id, running == 0 ? "" : "; " + running + " job(s) still run");
        return existing(id);
    }

    @Override
    public SourceDTO resume(String id) {
        runner.undrain(id);
        return existing(id);
    }

    @Override
    public SourceDTO replace(String id, InputStream jar, Duration wait) throws InterruptedException {
        if (!replacing.add(id)) {
            throw new InUseException("a replacement of source '" + id + "' is under way; send the jar again when it "
                    + "has ended");
        }
        try {
            return replaceOnce(id, jar, wait);
        } finally {
            replacing.remove(id);
        }
    }

    private SourceDTO replaceOnce(String id, InputStream jar, Duration wait) throws InterruptedException {
        SourceEntry entry = registry.active(id).orElseThrow(() -> new NotFoundException("source", id));
        Bundle bundle = context.getBundle(entry.bundleId());
        if (bundle == null) {
            throw new NotFoundException("bundle of source", id);
        }
        byte[] checked = SourceBundleUpload.check(jar, id, bundle.getSymbolicName(),
                context.getBundle(0).getSymbolicName());
        try {
            int running = runner.drain(id, wait);
            if (running > 0) {
                throw new InUseException(running + " job(s) of source '" + id + "' still run after "
                        + wait.toSeconds() + " s; nothing was replaced");
            }
            String before = bundle.getVersion().toString();
            try {
                bundle.update(new java.io.ByteArrayInputStream(checked));
            } catch (BundleException e) {
                throw new InvalidInputException("bundle", bundle.getSymbolicName(),
                        "the jar cannot replace it: " + e.getMessage());
            }
            CountDownLatch refreshed = new CountDownLatch(1);
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle),
                    event -> refreshed.countDown());
            refreshed.await(wait.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (registry.active(id).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            LOG.info("Source '{}' replaced: {} {} -> {}", id, bundle.getSymbolicName(), before, bundle.getVersion());
        } finally {
            runner.undrain(id);
        }
        return source(id).orElseThrow(() -> new IllegalStateException("source '" + id
                + "' did not come back after its bundle was replaced; the server log says why"));
    }

    // ---- Jobs ----

    @Override
    public JobDTO submit(JobRequestDTO request) {
        return runner.submit(request);
    }

    @Override
    public Optional<JobDTO> get(String id) {
        return runner.get(id);
    }

    @Override
    public List<JobDTO> list() {
        return runner.list();
    }

    @Override
    public List<JobDTO> ofRun(String runId) {
        return runner.ofRun(runId);
    }

    @Override
    public Optional<JobDTO> await(String id, Duration timeout) throws InterruptedException {
        return runner.await(id, timeout);
    }

    @Override
    public boolean cancel(String id, String reason) {
        return runner.cancel(id, reason);
    }

    // ---- AgentJobs ----

    @Override
    public Optional<JobClaimDTO> claim(String deviceId) {
        return runner.remote().claim(deviceId, null);
    }

    @Override
    public Optional<JobClaimDTO> claim(String deviceId, Set<String> sourceIds) {
        return runner.remote().claim(deviceId, sourceIds == null || sourceIds.isEmpty() ? null : Set.copyOf(sourceIds));
    }

    @Override
    public Optional<JobClaimDTO> claim(String deviceId, Set<String> sourceIds, java.time.Duration wait)
            throws InterruptedException {
        return runner.remote().claim(deviceId, sourceIds == null || sourceIds.isEmpty() ? null
                : Set.copyOf(sourceIds), wait);
    }

    @Override
    public void release(String deviceId, String jobId, io.patchbay.api.agent.JobReleaseDTO release) {
        runner.remote().release(deviceId, jobId, release);
    }

    @Override
    public JobClaimDTO progress(String deviceId, String jobId, JobProgressDTO progress) {
        return runner.remote().progress(deviceId, jobId, progress);
    }

    @Override
    public JobDTO report(String deviceId, String jobId, JobReportDTO report) {
        return runner.remote().report(deviceId, jobId, report);
    }
}
