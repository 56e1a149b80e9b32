package io.patchbay.core.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.source.JobContext;

/**
 * The context one job hands its source. Once fenced (the job ended or its source left) every write is dropped, and
 * the first dropped write is logged so a misbehaving plugin is visible without flooding the log.
 */
final class JobContextImpl implements JobContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobContextImpl.class);

    /** Why a job was asked to stop; decides its final state. */
    enum Stop {
        CANCELLED, TIMED_OUT, SOURCE_LEFT, SHUTDOWN
    }

    private final Job job;
    private final Instant deadline;
    private final JobSink sink;
    private volatile Stop stop;
    private volatile String stopReason;
    private volatile boolean fenced;
    private final AtomicBoolean lateWriteLogged = new AtomicBoolean();

    /** Where the context's writes go. */
    interface JobSink {
        void log(Job job, String message);

        void progress(Job job, int percent, String message);
    }

    JobContextImpl(Job job, Instant deadline, JobSink sink) {
        this.job = job;
        this.deadline = deadline;
        this.sink = sink;
    }

    /** Asks the source to stop; the first reason given wins. */
    synchronized void stop(Stop why, String reason) {
        if (stop == null) {
            stop = why;
            stopReason = reason;
        }
    }

    Stop stopped() {
        return stop;
    }

    void fence() {
        fenced = true;
    }

    boolean isFenced() {
        return fenced;
    }

    @Override
    public boolean isCancelled() {
        return stop != null;
    }

    @Override
    public String cancelReason() {
        return stopReason;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void progress(int percent, String message) {
        if (dropped("progress")) {
            return;
        }
        sink.progress(job, Math.max(0, Math.min(100, percent)), message);
    }

    @Override
    public void log(String message) {
        if (dropped("log")) {
            return;
        }
        sink.log(job, message);
    }

    private boolean dropped(String what) {
        if (!fenced) {
            return false;
        }
        if (lateWriteLogged.compareAndSet(false, true)) {
            LOG.warn("Job {}: dropped a late {} write from source '{}' after the job was fenced", job.id, what,
                    job.sourceId);
        }
        return true;
    }
}
