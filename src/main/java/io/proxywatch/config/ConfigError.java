package io.proxywatch.config;

/** A setting that cannot be used: the message names the key, the value and where it came from. */
public final class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }
}
