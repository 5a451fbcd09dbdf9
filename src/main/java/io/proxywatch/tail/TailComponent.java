package io.proxywatch.tail;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * {@code tail:name}: follows log files with checkpoints that survive restarts and rotation. Camel's own
 * stream and file components re-read or lose lines on rotation and start over after a restart.
 * The settings come from the configuration class (validated once, at start-up), so the route reads simply
 * {@code from: tail:proxy-logs}.
 */
public class TailComponent extends DefaultComponent {
    private TailSettings settings;
    private Runnable beforeDurableCheckpoint = () -> { };

    public TailComponent() {
    }

    public TailComponent(TailSettings settings, Runnable beforeDurableCheckpoint) {
        this.settings = settings;
        this.beforeDurableCheckpoint = beforeDurableCheckpoint;
    }

    /** Forces downstream data to disk before a checkpoint is fsynced (see {@link Tailer}). */
    public Runnable getBeforeDurableCheckpoint() {
        return beforeDurableCheckpoint;
    }

    public TailSettings getSettings() {
        return settings;
    }

    public void setSettings(TailSettings settings) {
        this.settings = settings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (settings == null) {
            throw new IllegalStateException("the tail component has no settings: bind it from the configuration class");
        }
        TailEndpoint endpoint = new TailEndpoint(uri, this, remaining, settings);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
