package io.proxywatch.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTest {

    /** What a CommonMark renderer would act on, left in a value after escaping: none may remain unescaped. */
    private static void assertInert(String escaped) {
        assertThat(escaped).doesNotContain("<", ">", "\n", "\r", "@");
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if ("`*_[]|~".indexOf(c) >= 0 || (i == 0 && "#+-=".indexOf(c) >= 0)) {
                assertThat(i).as("'%s' at %d in %s is escaped", c, i, escaped).isGreaterThan(0);
                assertThat(escaped.charAt(i - 1)).as("'%s' at %d in %s is escaped", c, i, escaped).isEqualTo('\\');
            }
        }
    }

    @Test
    void aScriptTagBecomesText() {
        String e = Markdown.escape("GET /?q=<script>alert(1)</script> HTTP/1.1");
        assertThat(e).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertInert(e);
    }

    @Test
    void aFontTagCannotColourTheAlert() {
        String e = Markdown.escape("<font color=\"info\">all clear</font>");
        assertThat(e).isEqualTo("&lt;font color=\"info\"&gt;all clear&lt;/font&gt;");
    }

    @Test
    void aMarkdownLinkWithJavascriptIsNoLink() {
        String e = Markdown.escape("[click me](javascript:alert(document.cookie))");
        assertThat(e).startsWith("\\[click me\\](javascript:alert(");
        assertInert(e);
    }

    @Test
    void mentionsAreNeutralised() {
        assertThat(Markdown.escape("@all please look")).isEqualTo("＠all please look");
        assertThat(Markdown.escape("<@wangqing>")).isEqualTo("&lt;＠wangqing&gt;");
        assertThat(Markdown.escape("admin@example.com")).doesNotContain("@");
    }

    @Test
    void newlinesCannotStartALineOfTheirOwn() {
        String e = Markdown.escape("GET / HTTP/1.1\r\n# [HIGH] fake alert\n> quoted\u2028- item\u0085x");
        assertThat(e).doesNotContain("\n", "\r", "\u2028", "\u0085");
        assertThat(e).isEqualTo("GET / HTTP/1.1  # \\[HIGH\\] fake alert &gt; quoted - item x");
    }

    @Test
    void backticksAndEmphasisAreEscaped() {
        String e = Markdown.escape("`rm -rf /` **bold** __under__ ~~strike~~ | a | b |");
        assertInert(e);
        assertThat(e).startsWith("\\`rm -rf /\\` \\*\\*bold\\*\\*");
    }

    @Test
    void addressesAndPathsStayReadable() {
        assertThat(Markdown.escape("203.0.113.9 GET /static/app.js (200)")).isEqualTo("203.0.113.9 GET /static/app.js (200)");
        assertThat(Markdown.escape("1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(Markdown.escape("1. item")).isEqualTo("1\\. item");
    }

    @Test
    void ampersandsAndBackslashesAreEscaped() {
        assertThat(Markdown.escape("a&lt;b \\n")).isEqualTo("a&amp;lt;b \\\\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"  # heading", "1. list", "+ plus", "- minus", "> quote", "=== setext", "    code"})
    void lineStartsAreNeutralised(String value) {
        String e = Markdown.escape(value);
        assertThat(e).doesNotStartWith(" ").doesNotStartWith("#").doesNotStartWith("+").doesNotStartWith("-")
                .doesNotStartWith(">").doesNotStartWith("=");
        assertThat(e).doesNotContainPattern("^\\d+\\.");
    }

    @Test
    void bidiOverridesAreDroppedAndLoneSurrogatesReplaced() {
        assertThat(Markdown.escape("abc\u202Edcb")).isEqualTo("abcdcb");
        assertThat(Markdown.escape("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(Markdown.escape("emoji 😀 stays")).isEqualTo("emoji 😀 stays");
    }

    @Test
    void nullIsEmpty() {
        assertThat(Markdown.escape(null)).isEmpty();
    }

    @Test
    void feishuPlainTextCannotMentionOrLink() {
        String e = PlainText.inert("<at user_id=\"all\">所有人</at> [x](https://evil.example) @all\nnext");
        assertThat(e).doesNotContain("<", ">", "[", "]", "@", "\n");
        assertThat(e).contains("＜at user_id=\"all\"＞所有人");
    }
}
