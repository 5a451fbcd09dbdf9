package io.proxywatch.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays {@link DemoScript} into a {@link DemoLog} as time passes: each second is written once it has passed, so
 * no line carries a timestamp in the future. Time comes from the injected clock; {@link #catchUp()} is the whole
 * logic, and the daemon thread of {@link #start()} only calls it a few times a second.
 */
final class DemoRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.demo");
    /** After a longer stall (a laptop asleep) the missed seconds are skipped, not written in one flood. */
    static final int MAX_BEHIND_SECONDS = 30;
    private static final long TICK_MS = 100;

    private final DemoScript script;
    private final DemoTraffic traffic;
    private final DemoLog log;
    private final Clock clock;
    private final Consumer<String> notes;
    private final long startMs;
    private long next;
    private volatile boolean running;
    private Thread thread;
    private String lastProblem;

    DemoRunner(DemoScript script, DemoTraffic traffic, DemoLog log, Clock clock, Consumer<String> notes) {
        this.script = script;
        this.traffic = traffic;
        this.log = log;
        this.clock = clock;
        this.notes = notes;
        this.startMs = clock.millis();
    }

    /** Writes every second that has fully passed and not been written yet; returns the number of lines. */
    int catchUp() throws IOException {
        long passed = Math.floorDiv(clock.millis() - startMs, 1000L);
        if (passed - next > MAX_BEHIND_SECONDS) {
            next = passed - 1;
        }
        int lines = 0;
        while (next < passed) {
            DemoScript.Plan plan = script.plan(next);
            if (plan.rotate()) {
                rotate();
            }
            List<String> second = traffic.lines(plan, Instant.ofEpochMilli(startMs + next * 1000));
            log.append(second);
            lines += second.size();
            if (plan.note() != null) {
                notes.accept(String.format("%d:%02d %s", next / 60, next % 60, plan.note()));
            }
            next++;
        }
        return lines;
    }

    /** A rotation that fails (a file the OS will not rename yet) is skipped: the traffic must go on. */
    private void rotate() {
        try {
            log.rotate();
        } catch (IOException e) {
            LOG.warn("demo traffic: cannot rotate {}: {}", log.current(), e.toString());
        }
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "proxywatch-demo");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                catchUp();
                lastProblem = null;
            } catch (IOException | RuntimeException e) {
                String problem = String.valueOf(e);
                if (!problem.equals(lastProblem)) {
                    LOG.warn("demo traffic: cannot write {}: {}", log.current(), problem);
                    lastProblem = problem;
                }
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops writing, so the pipeline's last checkpoint on shutdown covers every line the demo wrote. */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
