package io.proxywatch.tail;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the tailer on a thread of its own and sends each chunk down the route as one exchange. The
 * checkpoint for a chunk moves only when its exchange completes; a failed exchange makes the tailer read the
 * same lines again after a back-off, so nothing is lost and at worst something is sent twice.
 */
public class TailConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(TailConsumer.class);
    /** Exchange header: the file the chunk came from. */
    public static final String FILE_HEADER = "ProxywatchFile";

    private final TailEndpoint endpoint;
    private volatile Tailer tailer;
    private volatile boolean running;
    private Thread thread;

    TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    public List<FileStatus> status() {
        Tailer t = tailer;
        return t == null ? List.of() : t.status();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        tailer = new Tailer(endpoint.getSettings(), Clock.systemUTC(),
                ((TailComponent) endpoint.getComponent()).getBeforeDurableCheckpoint());
        tailer.start();
        running = true;
        thread = new Thread(this::loop, "tail-" + endpoint.getName());
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (thread != null) {
            // let the chunk in flight finish so its checkpoint is written
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (tailer != null) {
            // chunks still held by later stages complete when those routes stop, after this one (Tailer.close)
            int files = tailer.status().size();
            tailer.close();
            tailer = null;
            LOG.info("stopped following {} files; checkpoints written", files);
        }
        super.doStop();
    }

    private void loop() {
        long pollMs = endpoint.getSettings().pollMs();
        while (running && isRunAllowed()) {
            try {
                Tailer.Ticket ticket = tailer.poll();
                if (ticket == null) {
                    tailer.pause(pollMs);
                    continue;
                }
                send(ticket);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                getExceptionHandler().handleException("tailing " + endpoint.getName() + " failed; retrying", e);
                sleepQuietly(1000);
            }
        }
    }

    private void send(Tailer.Ticket ticket) {
        Chunk chunk = ticket.chunk();
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(chunk);
        exchange.getIn().setHeader(FILE_HEADER, chunk.file());
        // the ack outlives the exchange (batches keep it until the collector answers): it holds the receipt, which
        // holds none of the chunk's lines
        Tailer.Receipt receipt = ticket.receipt();
        ChunkAck ack = new ChunkAck(receipt::complete, receipt::fail);
        int lines = chunk.lines().size();
        String file = chunk.file();
        exchange.setProperty(ChunkAck.PROPERTY, ack);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange e) {
                ack.release();
            }

            @Override
            public void onFailure(Exchange e) {
                ack.fail();
            }
        });
        // asynchronous: the tailer reads on while later stages run on their own threads; the in-flight limit
        // per file is the backpressure, and the checkpoint still moves only in completion order
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                ack.fail();
                LOG.warn("chunk of {} lines from {} failed: {}", lines, file, exchange.getException().toString());
            }
            releaseExchange(exchange, false);
        });
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
