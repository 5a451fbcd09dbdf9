package io.proxywatch.pipeline;

import io.proxywatch.testkit.TestCollector;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When ship.yaml's aggregator lets a batch go, on the packaged routes: a full batch at once, and a batch as old as
 * {@code proxywatch.ship.batch.timeout-ms} while lines keep coming. Both used to wait: Camel asks no completion
 * predicate of a strategy that pre-completes, so a full batch waited for the next slice or the timeout.
 */
class ShipBatchingTest {
    @TempDir
    Path dir;
    private TestCollector collector;
    private InProcessPipeline pipeline;
    private int lineNo;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    /** The pipeline, shipping to a new collector in batches of at most {@code maxRecords}, or as old as timeoutMs. */
    private void startShippingInBatchesOf(int maxRecords, long timeoutMs) throws java.io.IOException {
        collector = TestCollector.builder().start();
        pipeline = InProcessPipeline.start(dir,
                "proxywatch.ship.url", collector.url(),
                "proxywatch.ship.batch.max-records", String.valueOf(maxRecords),
                "proxywatch.ship.batch.timeout-ms", String.valueOf(timeoutMs));
    }

    private void appendLines(int n) throws Exception {
        InProcessPipeline.appendNumbered(dir, "app.log", lineNo + 1, n);
        lineNo += n;
    }

    @Test
    void aFullBatchIsSentAtOnceNotWhenTheTimeoutEnds() throws Exception {
        startShippingInBatchesOf(10, 60000);
        appendLines(10);
        // 60 s is the timeout: only "full" can send it this soon
        await().atMost(Duration.ofSeconds(20)).until(() -> collector.acceptedRecords() == 10);
        assertThat(collector.requestCount()).isEqualTo(1);
        assertThat(collector.requests().get(0).recordCount()).isEqualTo(10);
    }

    @Test
    void aBatchOnItsWayToTheCollectorKeepsNoChunksUnitOfWork() throws Exception {
        // the splitter points each slice's exchange at the chunk's unit of work, and the first slice's exchange
        // becomes the batch's: through it a batch waiting for the collector kept the chunk's whole exchange
        startShippingInBatchesOf(10, 60000);
        List<Object> unitsOfWork = new CopyOnWriteArrayList<>();
        CamelContext camel = pipeline.main().getCamelContext();
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().startsWith("direct://ship-send")) {
                    Object uow = sending.getExchange().getProperty(ExchangePropertyKey.STREAM_CACHE_UNIT_OF_WORK);
                    unitsOfWork.add(uow == null ? "none" : uow);
                }
            }
        });
        appendLines(20);
        await().atMost(Duration.ofSeconds(20)).until(() -> collector.acceptedRecords() == 20);
        assertThat(unitsOfWork).hasSize(2).containsOnly("none");
    }

    @Test
    void aBatchAsOldAsTheBatchTimeoutIsSentWhileLinesKeepComing() throws Exception {
        startShippingInBatchesOf(1000, 1500);
        appendLines(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> InProcessPipeline.jsonLines(dir, "info.log").size() == 1);
        // a line every 100 ms for 8 s: Camel's inactivity timeout (1.5 s after the last slice) never ends, so only
        // the batch's age can send it before the writing stops
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            appendLines(1);
        }
        assertThat(collector.requestCount()).as("batches sent while lines kept coming").isGreaterThanOrEqualTo(2);
        assertThat(collector.requests().get(0).recordCount()).isLessThan(lineNo);
        await().atMost(Duration.ofSeconds(20)).until(() -> collector.acceptedRecords() == lineNo);
    }
}
