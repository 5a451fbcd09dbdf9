package io.proxywatch.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link TestWecom} as a process, for the alert-latency benchmark: serves the WeCom robot on a free port of
 * 127.0.0.1 with key {@code KEY}, writes its URL to {@code URL_FILE}, and appends to {@code OUT} one JSON line per
 * request it judged: {@code {"at_ms":…,"accepted":true,"content":"…"}} ({@code at_ms} is when the robot received it,
 * epoch ms) or {@code {"at_ms":…,"accepted":false,"code":45009,…}}.
 *
 * <p>{@code java -cp proxywatch.jar:test-classes io.proxywatch.testkit.BenchWecom KEY URL_FILE OUT}
 */
public final class BenchWecom {
    private BenchWecom() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        TestWecom wecom = TestWecom.start(args[0]);
        try (PrintStream url = new PrintStream(new FileOutputStream(args[1]), true, StandardCharsets.UTF_8)) {
            url.println(wecom.url());
        }
        try (PrintStream out = new PrintStream(new FileOutputStream(args[2], true), true, StandardCharsets.UTF_8)) {
            int seenOk = 0;
            int seenRefused = 0;
            while (true) {
                List<RobotServer.Message> ok = wecom.accepted();
                for (; seenOk < ok.size(); seenOk++) {
                    RobotServer.Message m = ok.get(seenOk);
                    ObjectNode o = json.createObjectNode();
                    o.put("at_ms", m.at().toEpochMilli());
                    o.put("accepted", true);
                    String type = m.json().path("msgtype").asText();
                    o.put("content", m.json().path(type).path("content").asText());
                    out.println(o);
                }
                List<RobotServer.Rejection> no = wecom.rejected();
                for (; seenRefused < no.size(); seenRefused++) {
                    RobotServer.Rejection r = no.get(seenRefused);
                    ObjectNode o = json.createObjectNode();
                    o.put("at_ms", r.at().toEpochMilli());
                    o.put("accepted", false);
                    o.put("code", r.code());
                    o.put("message", r.message());
                    out.println(o);
                }
                Thread.sleep(20);
            }
        }
    }
}
