package io.proxywatch.detect;

import io.proxywatch.detect.Normalizer.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NormalizerTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "../../etc/passwd",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "%252e%252e%252f%252e%252e%252fetc%252fpasswd",      // double-encoded
            "%25252e%25252e%25252f..%2fetc/passwd",              // triple
            "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae/etc%c0%afpasswd",    // overlong two-byte UTF-8
            "%e0%80%ae%e0%80%ae%e0%80%af../etc/passwd",          // overlong three-byte UTF-8
            "..%u2215..%u2215etc%u2215passwd",                   // IIS %u escapes, division slash
            "..%c1%9c..%c1%9cetc/passwd",                        // overlong backslash
            "..\\..\\etc\\passwd",
            "..;/..;/etc/passwd",                                // Tomcat path parameter
            "%2E%2E%2F%2E%2E%2FETC%2FPASSWD"})
    void everySpellingOfTraversalBecomesDotDotSlash(String path) {
        assertThat(Normalizer.normalize(path, Mode.PATH)).isEqualTo("../../etc/passwd");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "&lt;script&gt;                 | <script>",
            "&LT;script&GT;                 | <script>",
            "&#60;script&#62;               | <script>",
            "&#x3c;script&#x3E;             | <script>",
            "&#60script&#62                 | <script>",
            "&ltscript&gt                   | <script>",
            "%26lt%3Bscript%26gt%3B         | <script>",
            "&amp;lt;script&amp;gt;         | <script>",
            "ja&tab;vascript&colon;         | ja vascript:",
            "%EF%BC%9Cscript%EF%BC%9E       | <script>",
            "%uff1cscript%uff1e             | <script>",
            // a browser reads any number of leading zeros
            "&#0000000060;script&#x00000000003e; | <script>",
            "javascript&#000000000000000058;x    | javascript:x"})
    void htmlEntitiesDecimalHexAndNamedAreDecoded(String in, String out) {
        assertThat(Normalizer.normalize(in, Mode.QUERY)).isEqualTo(out);
    }

    @Test
    void anEntityNameFollowedByEqualsIsAParameterNotAnEntity() {
        assertThat(Normalizer.normalize("a=1&lt=5&gt=7", Mode.QUERY)).isEqualTo("a=1&lt=5&gt=7");
    }

    @Test
    void mixedCaseIsLowered() {
        assertThat(Normalizer.normalize("UnIoN SeLeCt", Mode.QUERY)).isEqualTo("union select");
        assertThat(Normalizer.normalize("%3CScRiPt%3E", Mode.QUERY)).isEqualTo("<script>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "union/**/select                     | union select",
            "union/*comment*/all/**/select       | union all select",
            "/*!50000union*//*!50000select*/ 1   | union select 1",
            "union%23foo%0aselect                | union select",
            "union--%20x%0aselect                | union select",
            "union%0d%0a%09select                | union select",
            "1+union++++select                   | 1 union select"})
    void sqlCommentsAndWhitespaceFoldToOneSpace(String in, String out) {
        assertThat(Normalizer.normalize(in, Mode.QUERY).trim()).isEqualTo(out);
    }

    @Test
    void aTrailingCommentIsKeptBecauseItIsTheSign() {
        assertThat(Normalizer.normalize("admin'--", Mode.QUERY)).isEqualTo("admin'--");
        assertThat(Normalizer.normalize("1'%23", Mode.QUERY)).isEqualTo("1'#");
    }

    @Test
    void anUnclosedCommentIsNotAComment() {
        assertThat(Normalizer.normalize("/bin/ca? /et*/passwd", Mode.QUERY)).isEqualTo("/bin/ca? /et*/passwd");
    }

    /**
     * A megabyte of "/*!" (a query or header a client chooses) folds in one pass. Each opener searched the rest of
     * the text for a "*\/" it then did not use, so this took ~90 s on one core (256 KB: 5 s), stalling the
     * detection thread for every line behind it. The timeout only keeps a regression from hanging the build.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void versionedCommentOpenersWithoutAnEndFoldInOnePass() {
        int n = 1 << 20;
        String field = "/*!".repeat(n / 3);
        assertThat(Normalizer.foldSqlComments(field)).isEqualTo(" ".repeat(n / 3));
        assertThat(Normalizer.normalize(field + "union select", Mode.QUERY)).isEqualTo(" union select");
    }

    @Test
    void plusIsASpaceOnlyInQueries() {
        assertThat(Normalizer.normalize("a+b", Mode.QUERY)).isEqualTo("a b");
        assertThat(Normalizer.normalize("/c++/a+b", Mode.PATH)).isEqualTo("/c++/a+b");
    }

    @Test
    void backslashIsASeparatorOnlyInPaths() {
        assertThat(Normalizer.normalize("a\\b", Mode.PATH)).isEqualTo("a/b");
        assertThat(Normalizer.normalize("a\\'b", Mode.QUERY)).isEqualTo("a\\'b");
    }

    /** As Tomcat and Spring route it: what path rules are written for, whatever the spelling. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "/manager;/html, /manager/html",
            "/actuator;/mappings, /actuator/mappings",
            "/cgi-bin;x=1/test.cgi, /cgi-bin/test.cgi",
            "/a;jsessionid=1A2B, /a",
            "/debug//pprof/, /debug/pprof/",
            "/debug/./pprof/, /debug/pprof/",
            "/x/., /x/",
            "/..;/..;/etc/passwd, /../../etc/passwd",
            "/%2e/web-inf/web.xml, /web-inf/web.xml",
            "/.env, /.env",
            "/r/http://evil.example, /r/http://evil.example",
            "/manager;;/html, /manager/html",
            "/manager;a;/html, /manager/html",
            "/web-inf;;/web.xml, /web-inf/web.xml"})
    void pathsAsTheServerRoutesThem(String in, String out) {
        assertThat(Normalizer.normalize(in, Mode.PATH)).isEqualTo(out);
    }

    /** A path parameter that is not plain stays for the injection rules to see. */
    @Test
    void aPathParameterHoldingAPayloadIsKept() {
        assertThat(Normalizer.normalize("/item;id=1' or '1'='1", Mode.PATH)).isEqualTo("/item;id=1' or '1'='1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/debug//./pprof;/", "/a/.;/b", "a;;b", "/manager;a;/html",
            "%252e%252e%252f", "&amp;lt;svg onload=alert(1)&amp;gt;", "UNION/**/SELECT", "a+b%2Bc", "&#x26;#60;",
            "%c0%ae%c0%ae/", "x'  OR\t1=1--", "/*!50000select*/", "%25%32%65", "\u00a0\u200b", "&lt=5"})
    void normalisingTwiceChangesNothing(String in) {
        for (Mode mode : Mode.values()) {
            String once = Normalizer.normalize(in, mode);
            assertThat(Normalizer.normalize(once, mode)).as(mode.name()).isEqualTo(once);
        }
    }

    @Test
    void plainLowerCaseTextIsReturnedAsIs() {
        String path = "/images/logo.png";
        String ua = "mozilla/5.0 (x11; linux x86_64) applewebkit/537.36 (khtml, like gecko) chrome/120.0 safari/537.36";
        assertThat(Normalizer.normalize(path, Mode.PATH)).isSameAs(path);
        assertThat(Normalizer.normalize(ua, Mode.HEADER)).isSameAs(ua);
        assertThat(Normalizer.needsWork("/Images/Logo.PNG", Mode.PATH)).isFalse();
        assertThat(Normalizer.normalize("/Images/Logo.PNG", Mode.PATH)).isEqualTo("/images/logo.png");
    }

    @Test
    void nullStaysNull() {
        assertThat(Normalizer.normalize(null, Mode.QUERY)).isNull();
    }
}
