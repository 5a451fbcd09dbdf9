package io.proxywatch.web;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/events}: Server-Sent Events to open dashboard pages, bound as {@code dashboardEvents}. A page gets
 * the history first ({@code event: history}), then one {@code event: update} a second from the sampling route.
 *
 * <p>A Camel route cannot keep an HTTP response open: platform-http writes the exchange's body when the exchange
 * completes and ends the response (an InputStream body is pumped, but its blocking reads queue on the event loop's
 * ordered worker queue, in line with every other streamed response). So this one handler sits on the Vert.x router of
 * Camel's own HTTP server, and writes to the open responses. It asks the same {@link WebAccess} as every other route
 * (web-access.yaml), with the same 401.
 *
 * <p>A page that cannot keep up (its write queue full) is disconnected rather than buffered without bound; its
 * EventSource reconnects and starts again from the history.
 */
public final class EventStream {
    static final String PATH = "/api/events";

    private final WebAccess access;
    private final Supplier<String> history;
    private final int maxClients;
    private final Set<HttpServerResponse> clients = new LinkedHashSet<>();

    public EventStream(WebAccess access, Supplier<String> history, int maxClients) {
        this.access = access;
        this.history = history;
        this.maxClients = maxClients;
    }

    public void attach(Router router) {
        router.get(PATH).handler(this::open);
    }

    private void open(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.putHeader("X-Content-Type-Options", "nosniff");
        if (access.wrongHostOf(ctx.request())) {
            r.setStatusCode(421).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("proxywatch: this server answers for localhost only\n");
            return;
        }
        if (access.denied(ctx.request().getHeader("Authorization"))) {
            r.setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Basic realm=\"proxywatch\", charset=\"UTF-8\"")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("proxywatch: credentials required\n");
            return;
        }
        synchronized (this) {
            if (clients.size() >= maxClients) {
                r.setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("proxywatch: too many open dashboards (" + maxClients + ")\n");
                return;
            }
            r.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-store");
            // the history and the client's place in the list under one lock: no update falls between them
            r.write("retry: 2000\n\n" + frame("history", history.get()));
            clients.add(r);
        }
        r.closeHandler(v -> drop(r));
        r.exceptionHandler(e -> drop(r));
    }

    /** Sends one update to every open page. */
    public synchronized void publish(String json) {
        String frame = frame("update", json);
        for (Iterator<HttpServerResponse> it = clients.iterator(); it.hasNext(); ) {
            HttpServerResponse r = it.next();
            if (r.closed() || r.ended()) {
                it.remove();
            } else if (r.writeQueueFull()) {
                it.remove();
                r.reset();
            } else {
                r.write(frame);
            }
        }
    }

    /** True while some page listens: the update is only built for someone. */
    public synchronized boolean listening() {
        return !clients.isEmpty();
    }

    synchronized int clients() {
        return clients.size();
    }

    private synchronized void drop(HttpServerResponse r) {
        clients.remove(r);
    }

    /** One SSE event; the JSON is one line (newlines inside strings are escaped), so it is one data line. */
    private static String frame(String event, String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }
}
