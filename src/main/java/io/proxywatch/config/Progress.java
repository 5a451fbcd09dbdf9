package io.proxywatch.config;

import io.proxywatch.alert.AlertLog;
import io.proxywatch.alert.AlertStats;
import io.proxywatch.detect.Detection;
import io.proxywatch.fleet.Fleet;
import io.proxywatch.level.LevelFiles;
import io.proxywatch.parse.ChunkParser;
import io.proxywatch.ship.ShipStats;
import io.proxywatch.ship.Spool;
import io.proxywatch.tail.FileStatus;
import io.proxywatch.tail.TailEndpoint;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The periodic progress line: lines read and unparsed, records per level file, shipping, and each file's lag. */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.progress");

    private final CamelContext context;
    private final String tailUri;
    private final ChunkParser parser;
    private final LevelFiles levelFiles;
    private final ShipStats shipStats;
    private final Spool spool;
    private final Detection detection;
    private final AlertLog alertLog;
    private final AlertStats alertStats;
    private final Fleet fleet;

    Progress(CamelContext context, String tailUri, ChunkParser parser, LevelFiles levelFiles, ShipStats shipStats,
             Spool spool, Detection detection, AlertLog alertLog, AlertStats alertStats, Fleet fleet) {
        this.context = context;
        this.tailUri = tailUri;
        this.parser = parser;
        this.levelFiles = levelFiles;
        this.shipStats = shipStats;
        this.spool = spool;
        this.detection = detection;
        this.alertLog = alertLog;
        this.alertStats = alertStats;
        this.fleet = fleet;
    }

    public List<FileStatus> files() {
        return files(context, tailUri);
    }

    /** The followed files of the tail endpoint {@code tailUri}; none before it started. */
    static List<FileStatus> files(CamelContext context, String tailUri) {
        TailEndpoint ep = context.hasEndpoint(tailUri) instanceof TailEndpoint t ? t : null;
        return ep == null || ep.getConsumer() == null ? List.of() : ep.getConsumer().status();
    }

    public void log() {
        List<FileStatus> files = files();
        long lines = 0;
        long lag = 0;
        StringBuilder detail = new StringBuilder();
        for (FileStatus f : files) {
            lines += f.linesRead();
            lag += f.lagBytes();
            detail.append("\n  ").append(f.path()).append(": offset ").append(f.committedOffset()).append(" of ")
                    .append(f.size()).append(", lag ").append(f.lagBytes()).append(" B")
                    .append(f.rotated() ? " (rotated, finishing)" : "");
        }
        LOG.info("{} files, {} lines read ({} unparsed), lag {} B; written info {} warn {} error {} fatal {}, "
                        + "dropped {}; threats {}, alert events {}, {}; {}; {}; spool {} batches {} B{}",
                files.size(), lines, parser.parseErrors(), lag, levelFiles.written("info"), levelFiles.written("warn"),
                levelFiles.written("error"), levelFiles.written("fatal"), levelFiles.dropped(),
                detection.findingsByCategory(), alertLog.written(), alertStats, fleet.state(), shipStats,
                spool.batches(), spool.bytes(), detail);
    }
}
