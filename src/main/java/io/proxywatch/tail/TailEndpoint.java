package io.proxywatch.tail;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A set of followed files; consumer only. The name is a label for logs and metrics. */
public class TailEndpoint extends DefaultEndpoint {
    private final String name;
    private final TailSettings settings;
    private TailConsumer consumer;

    TailEndpoint(String uri, TailComponent component, String name, TailSettings settings) {
        super(uri, component);
        this.name = name;
        this.settings = settings;
    }

    public String getName() {
        return name;
    }

    public TailSettings getSettings() {
        return settings;
    }

    /** The running consumer, for status (lag, lines read); null before the route starts. */
    public TailConsumer getConsumer() {
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("tail: is a consumer only (use it in from:)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        consumer = new TailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return false;
    }
}
