package io.proxywatch.record;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The process's one Jackson ObjectMapper (thread-safe once built), built on first use: building one loads some 450
 * classes, about 0.3 s that start-up does not need when the first message, dead letter or health answer comes
 * later. Default settings: every user reads and writes plain JSON trees.
 */
public final class Jackson {
    private Jackson() {
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
