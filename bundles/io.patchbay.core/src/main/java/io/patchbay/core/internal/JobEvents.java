package io.patchbay.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.dto.JobDTO;

/**
 * Tells listeners of jobs that ended, after the end is committed, on one thread of its own, in the order the ends
 * began: whoever ends a job takes a ticket first ({@link #reserve}) and hands the ended job in with it
 * ({@link #deliver}), so an end that commits a little later is not overtaken by one that began after it. Also wakes
 * those waiting in this process for a job to end.
 */
final class JobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.named("patchbay-job-events-"));
    private final Consumer<JobDTO> listeners;
    private final Object ended = new Object();
    private final Object order = new Object();
    /** Ends handed in whose turn has not come, by ticket. */
    private final TreeMap<Long, List<JobDTO>> waiting = new TreeMap<>();
    private long nextTicket;
    private long nextToTell;

    JobEvents(Consumer<JobDTO> listeners) {
        this.listeners = listeners;
    }

    /** A place in the order of ends; every ticket must be delivered, with no jobs when the end did not happen. */
    long reserve() {
        synchronized (order) {
            return nextTicket++;
        }
    }

    void deliver(long ticket, List<JobDTO> jobs) {
        List<JobDTO> due = new ArrayList<>();
        synchronized (order) {
            waiting.put(ticket, jobs);
            while (!waiting.isEmpty() && waiting.firstKey() == nextToTell) {
                due.addAll(waiting.pollFirstEntry().getValue());
                nextToTell++;
            }
            // handed to the listeners' thread in order; the listeners themselves run there, never under this lock
            due.forEach(this::tell);
        }
        if (!due.isEmpty()) {
            synchronized (ended) {
                ended.notifyAll();
            }
        }
    }

    /** An end that no other end can overtake. */
    void ended(JobDTO job) {
        deliver(reserve(), List.of(job));
    }

    private void tell(JobDTO job) {
        LOG.info("Job {} ended {}{}", job.id, job.state, job.reason == null ? "" : ": " + job.reason);
        try {
            thread.execute(() -> {
                try {
                    listeners.accept(job);
                } catch (RuntimeException e) {
                    LOG.warn("A job listener failed on job {}", job.id, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Job {} ended after the job engine stopped; listeners are not told", job.id);
        }
    }

    /** Waits until some job ends in this process or the time passes. */
    void awaitAnEnd(long millis) throws InterruptedException {
        synchronized (ended) {
            ended.wait(Math.max(1, millis));
        }
    }

    void close(long millis) {
        thread.shutdown();
        try {
            thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
