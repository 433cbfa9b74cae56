package io.annals.workers.events;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a worker's polling step on its own thread until closed; a failing step is logged and retried. */
public final class WorkerLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

    /** One polling step; it blocks for at most a short timeout. */
    public interface Step {
        void run() throws Exception;
    }

    private final String name;
    private final Step step;
    private final Runnable wakeup;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    public WorkerLoop(String name, Step step, Runnable wakeup) {
        this.name = name;
        this.step = step;
        this.wakeup = wakeup;
    }

    public synchronized void start() {
        if (running.getAndSet(true)) {
            return;
        }
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
        log.info("{} started", name);
    }

    private void loop() {
        while (running.get()) {
            try {
                step.run();
            } catch (WakeupException e) {
                if (running.get()) {
                    log.debug("{} woken up", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
                // Kafka was slow or moved this consumer's partitions (a broker that froze or restarted, a group
                // rebalance): expected; the step is tried again, and a partition that moved is taken up by its new
                // owner from the last commit
                log.warn("{} step failed, retrying in 1 s: {}", name, e.getMessage());
                if (!pause()) {
                    return;
                }
            } catch (Exception e) {
                log.error("{} step failed; retrying in 1 s", name, e);
                if (!pause()) {
                    return;
                }
            }
        }
    }

    /** False when the thread was interrupted while it waited. */
    private static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        wakeup.run();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} stopped", name);
    }
}
