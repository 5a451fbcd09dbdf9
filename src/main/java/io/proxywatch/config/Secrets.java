package io.proxywatch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a secret from its setting or from the file named by {@code <key>-file} (what Docker and systemd
 * credentials hand over); never both. The value itself is never put into a message.
 */
final class Secrets {
    private Secrets() {
    }

    static String read(Settings s, String key) {
        String direct = s.string(key);
        String file = s.string(key + "-file");
        if (!direct.isEmpty() && !file.isEmpty()) {
            throw new ConfigError(key + " and " + key + "-file are both set; keep one");
        }
        if (file.isEmpty()) {
            return direct;
        }
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            // a byte-order mark (PowerShell's Set-Content -Encoding UTF8, older Notepad) is not part of the secret
            return (text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
        } catch (IOException e) {
            throw new ConfigError("bad value for " + key + "-file: cannot read '" + file + "' (" + e.getMessage() + ")",
                    key + "-file");
        }
    }

    static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "(set, hidden)";
    }
}
