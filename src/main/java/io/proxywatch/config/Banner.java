package io.proxywatch.config;

import io.proxywatch.tail.PathGlobs;
import io.proxywatch.tail.TailSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** The start-up lines an operator reads first: what is watched, how, and where everything goes. */
final class Banner {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch");

    private Banner() {
    }

    static void print(TailSettings tail, PathGlobs globs, String format, Path levelsDir, String detection,
                      String alerting, String shipping, String dashboard, long progressMs) {
        StringBuilder sb = new StringBuilder("proxywatch starting\n");
        for (String g : globs.describe()) {
            sb.append("  watching     ").append(g).append('\n');
        }
        sb.append("  format       ").append(format).append(", charset ").append(tail.charset().name())
                .append(" (BOM wins), max line ").append(tail.maxLineBytes()).append(" bytes\n")
                .append("  start at     ").append(tail.startAtEnd() ? "end" : "beginning")
                .append(" for files present at the first start; new files from their beginning\n")
                .append("  checkpoints  ").append(tail.stateDir()).append(" (written per chunk, fsynced with the level files every ")
                .append(tail.fsyncIntervalMs()).append(" ms)\n")
                .append("  level files  ").append(levelsDir).append(" (info.log, warn.log, error.log)\n")
                .append("  detection    ").append(detection).append('\n')
                .append("  alerting     ").append(alerting).append('\n')
                .append("  shipping     ").append(shipping).append('\n')
                .append("  dashboard    ").append(dashboard).append('\n')
                .append("  progress     ").append("logged every " + progressMs + " ms");
        LOG.info(sb.toString());
    }
}
