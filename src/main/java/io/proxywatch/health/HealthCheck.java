package io.proxywatch.health;

/** One named check of /health: up or down, and a line for the operator (no secrets: never a URL or a key). */
public record HealthCheck(String name, boolean up, String detail) {
    public String status() {
        return up ? "UP" : "DOWN";
    }
}
