package io.proxywatch.ship;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configures the collector's HTTP client: adds the API key, the bearer token and any extra headers at the
 * moment a request leaves, and turns off the client's own retries. Keeping them off the exchange means no Camel log line, error report or dead-letter file can show
 * them.
 */
public final class CollectorAuth implements HttpClientConfigurer {
    private final Map<String, String> headers = new LinkedHashMap<>();

    public CollectorAuth(String apiKeyHeader, String apiKey, String bearerToken, Map<String, String> extra) {
        headers.putAll(extra);
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.put(apiKeyHeader, apiKey);
        }
        if (bearerToken != null && !bearerToken.isEmpty()) {
            headers.put("Authorization", "Bearer " + bearerToken);
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst((request, entity, context) -> headers.forEach(request::setHeader));
        // retries are the ship route's job (counted, Retry-After, spool); the client's own would double them
        builder.disableAutomaticRetries();
    }

    /** Header names only, for the banner. */
    public String describe() {
        return headers.isEmpty() ? "none" : String.join(", ", headers.keySet()) + " (values hidden)";
    }
}
