package io.proxywatch.detect;

import io.proxywatch.detect.Normalizer.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ShellViewTest {

    /** The request's spelling, as a query, and what the shell runs; {@code \n} in the second column is a line break. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "127.0.0.1%0aid                   => 127.0.0.1\\nid",
            "1.1.1.1%0acat%20/etc/passwd      => 1.1.1.1\\ncat /etc/passwd",
            "127.0.0.1%0d%0aid                => 127.0.0.1\\nid",
            "127.0.0.1%20%0d%0a%09id          => 127.0.0.1\\nid",
            ";w'h'o'am'i                      => ;whoami",
            "|c%22a%22t%20/etc/passwd         => |cat /etc/passwd",
            ";who%5Cami                       => ;whoami",
            ";wh$@oami                        => ;whoami",
            ";wh$*oami                        => ;whoami",
            ";c''at                           => ;cat",
            ";WH'O'AMI                        => ;whoami",
            ";who%5C%0aami                    => ;whoami",
            ";who%5C%0d%0aami                 => ;who_\\nami"})
    void readsWhatTheShellRuns(String query, String shell) {
        assertThat(ShellView.wouldChange(Normalizer.decode(query, Mode.QUERY))).isTrue();
        assertThat(shellReading(query)).isEqualTo(shell.replace("\\n", "\n"));
    }

    /** {@code query} decoded as the request's, then read as a shell reads it. */
    private static String shellReading(String query) {
        return ShellView.of(Normalizer.decode(query, Mode.QUERY));
    }

    /** A backslash makes the next character part of the word: a letter reads as itself, anything else as _. */
    @Test
    void anEscapedCharacterIsPartOfTheWord() {
        assertThat(ShellView.of("who\\ami")).isEqualTo("whoami");
        assertThat(ShellView.of("a\\'b")).isEqualTo("a_b");
        assertThat(ShellView.of("a\\;cat")).as("an escaped separator separates nothing").isEqualTo("a_cat");
        assertThat(ShellView.of("a\\|id")).isEqualTo("a_id");
        assertThat(ShellView.of("a\\\\b")).isEqualTo("a_b");
        assertThat(ShellView.of("a\\$@b")).isEqualTo("a_@b");
        assertThat(ShellView.of("a\\")).isEqualTo("a");
    }

    /** A CR alone is no separator to a shell (it is part of a word there): here a blank, as in the canonical form. */
    @Test
    void aCarriageReturnAloneSeparatesNothing() {
        assertThat(ShellView.of("127.0.0.1\rid")).isEqualTo("127.0.0.1 id");
        assertThat(ShellView.of("127.0.0.1\r\nid")).isEqualTo("127.0.0.1\nid");
    }

    /**
     * SQL comments mean nothing to a shell: {@code 127.0.0.1#;id} is one word and then a command, and folding
     * {@code #} or {@code --} to the end of the line, as the canonical form does, hid the command.
     */
    @Test
    void sqlCommentsAreNotFolded() {
        assertThat(ShellView.wouldChange("127.0.0.1#;id\n")).isTrue();
        assertThat(ShellView.of("127.0.0.1#;id\n")).isEqualTo("127.0.0.1#;id\n");
        assertThat(ShellView.of("127.0.0.1--;cat /etc/passwd\n")).isEqualTo("127.0.0.1--;cat /etc/passwd\n");
        assertThat(ShellView.wouldChange("x/**/y")).isTrue();
        assertThat(ShellView.of("x/**/y")).isEqualTo("x/**/y");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "hello%0aworld      => hello\\nworld",
            "O%27Reilly+books   => oreilly books",
            "it's               => its",
            "c%27est+la+vie     => cest la vie",
            "8%22x11%22+paper   => 8x11 paper"})
    void proseStaysProse(String query, String shell) {
        assertThat(shellReading(query)).isEqualTo(shell.replace("\\n", "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/images/logo.png", "q=rock and roll&page=2", "$home", "a$b", "x*y", "a-b", "tab\there",
            "100%", "cr\ralone"})
    void aValueWithoutItsCharactersIsNotReadAgain(String text) {
        assertThat(ShellView.wouldChange(text)).isFalse();
    }

    /**
     * What lets the detector skip the shell's reading of most values: without a line break, quote, backslash or
     * {@code $@}, the reading is the canonical form itself.
     */
    @Test
    void withoutItsCharactersTheReadingIsTheCanonicalForm() {
        String alphabet = "ab01 ;|&$@*#-/!<>()`=\t\r\u000b\f%+";
        Random random = new Random(11);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(16);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String raw = sb.toString();
            for (Mode mode : Mode.values()) {
                String decoded = Normalizer.decode(raw, mode);
                if (!ShellView.wouldChange(decoded)) {
                    assertThat(ShellView.of(decoded)).as(raw + " as " + mode)
                            .isEqualTo(Normalizer.normalize(raw, mode));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }
}
