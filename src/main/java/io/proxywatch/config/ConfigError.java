package io.proxywatch.config;

/** A setting that cannot be used: the message names the key, the value and where it came from. */
public final class ConfigError extends RuntimeException {
    private final String key;

    public ConfigError(String message) {
        this(message, null);
    }

    /** @param key the setting whose value cannot be used, for saying where that value was set; null for none */
    public ConfigError(String message, String key) {
        super(message);
        this.key = key;
    }

    /** The setting whose value cannot be used, or null. */
    public String key() {
        return key;
    }
}
