package io.proxywatch.testkit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** The lines logged while it is open (all loggers, "LEVEL logger message"), for tests that check what was said. */
public final class LogLines implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final String name = "test-capture-" + System.nanoTime();

    public LogLines() {
        LoggerContext ctx = LoggerContext.getContext(false);
        appender = WriterAppender.newBuilder().setName(name).setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %logger %m%n").build()).build();
        appender.start();
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().addAppender(appender, Level.INFO, null);
        ctx.updateLoggers();
    }

    public List<String> lines() {
        synchronized (out) {
            return Arrays.stream(out.toString().split("\n")).filter(l -> !l.isEmpty()).toList();
        }
    }

    /** Lines containing every one of {@code parts}. */
    public long count(String... parts) {
        return lines().stream().filter(l -> Arrays.stream(parts).allMatch(l::contains)).count();
    }

    @Override
    public void close() {
        LoggerContext ctx = LoggerContext.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(name);
        ctx.updateLoggers();
        appender.stop();
    }
}
