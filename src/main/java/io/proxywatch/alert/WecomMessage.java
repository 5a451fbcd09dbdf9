package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.Jackson;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON body for a WeCom (企业微信) group robot, {@code POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY}:
 * <pre>
 * {"msgtype":"markdown","markdown":{"content":"…"}}
 * {"msgtype":"text","text":{"content":"…","mentioned_list":["wangqing","@all"],"mentioned_mobile_list":["13800001111"]}}
 * </pre>
 * There is no {@code mentioned_all} field: {@code "@all"} in a list mentions everyone. A markdown message has no
 * mention lists; it mentions a user by writing {@code <@userid>} in the content, which is how the configured
 * {@code mentionedList} is put there (so markdown can mention by user id only: no mobiles, no {@code @all}).
 *
 * <p>Limits (WeCom answers 40058 "markdown.content exceed max length 4096" beyond them): markdown content
 * {@value #MARKDOWN_MAX_BYTES} bytes, text content {@value #TEXT_MAX_BYTES} bytes, UTF-8. The content is built
 * to fit, see {@link MessageText}.
 */
public final class WecomMessage {
    public static final String MARKDOWN = "markdown";
    public static final String TEXT = "text";
    public static final int MARKDOWN_MAX_BYTES = 4096;
    public static final int TEXT_MAX_BYTES = 2048;
    public static final String ALL = "@all";

    /** A WeCom user id as it can sit inside {@code <@…>}: nothing that could close the tag or start another. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@\\-]{1,64}");
    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9][0-9 \\-]{3,23}");

    private final String msgtype;
    private final List<String> mentionedList;
    private final List<String> mentionedMobileList;

    /**
     * @param msgtype             {@value #MARKDOWN} or {@value #TEXT}
     * @param mentionedList       user ids to mention, {@code "@all"} for everyone (text only)
     * @param mentionedMobileList mobile numbers to mention, {@code "@all"} for everyone (text only)
     * @throws IllegalArgumentException for another msgtype, a malformed id or number, or a mention markdown
     *                                  cannot express (naming it)
     */
    public WecomMessage(String msgtype, List<String> mentionedList, List<String> mentionedMobileList) {
        if (!MARKDOWN.equals(msgtype) && !TEXT.equals(msgtype)) {
            throw new IllegalArgumentException("WeCom msgtype must be markdown or text, not '" + msgtype + "'");
        }
        this.msgtype = msgtype;
        this.mentionedList = mentionedList == null ? List.of() : List.copyOf(mentionedList);
        this.mentionedMobileList = mentionedMobileList == null ? List.of() : List.copyOf(mentionedMobileList);
        for (String id : this.mentionedList) {
            if (ALL.equals(id) ? MARKDOWN.equals(msgtype) : !USER_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(ALL.equals(id)
                        ? "WeCom markdown cannot mention @all (only <@userid>); use msgtype text to mention everyone"
                        : "not a WeCom user id: '" + PlainText.line(id) + "' (1-64 letters, digits, _ - @ .)");
            }
        }
        for (String mobile : this.mentionedMobileList) {
            if (MARKDOWN.equals(msgtype)) {
                throw new IllegalArgumentException("WeCom markdown cannot mention by mobile number; use msgtype "
                        + "text, or mention by user id");
            }
            if (!ALL.equals(mobile) && !MOBILE.matcher(mobile).matches()) {
                throw new IllegalArgumentException("not a mobile number: '" + PlainText.line(mobile) + "'");
            }
        }
    }

    public String msgtype() {
        return msgtype;
    }

    /** The request body for one notification (a detailed message) or several (a digest). */
    public String body(List<Notification> notifications) {
        ObjectNode root = Jackson.mapper().createObjectNode();
        root.put("msgtype", msgtype);
        ObjectNode inner = root.putObject(msgtype);
        inner.put("content", content(notifications));
        if (TEXT.equals(msgtype)) {
            putList(inner, "mentioned_list", mentionedList);
            putList(inner, "mentioned_mobile_list", mentionedMobileList);
        }
        try {
            return Jackson.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings always serialises
        }
    }

    /** The content alone, within the msgtype's byte limit (mentions included for markdown). */
    public String content(List<Notification> notifications) {
        if (MARKDOWN.equals(msgtype)) {
            StringBuilder mentions = new StringBuilder();
            for (String id : mentionedList) {
                mentions.append(mentions.length() == 0 ? "" : " ").append("<@").append(id).append('>');
            }
            return MessageText.render(notifications, MessageText.Style.WECOM_MARKDOWN, MARKDOWN_MAX_BYTES,
                    mentions.toString());
        }
        return MessageText.render(notifications, MessageText.Style.WECOM_TEXT, TEXT_MAX_BYTES, "");
    }

    private static void putList(ObjectNode node, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = node.putArray(field);
            values.forEach(a::add);
        }
    }
}
