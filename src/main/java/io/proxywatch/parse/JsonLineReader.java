package io.proxywatch.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Map;

/**
 * Reads one JSON object line into a map with Jackson's streaming parser: top-level scalars become String,
 * Number or Boolean, nested objects and arrays JsonNode. Streaming rather than readTree because most values
 * are scalars and the map is the record's own fields map, so nothing is copied twice.
 */
final class JsonLineReader {
    // lenient where loggers are sloppy (raw control characters, NaN), strict where a line is plainly broken
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonLineReader() {
    }

    /**
     * Fills {@code into} from the object on the line. False when the line is not exactly one complete JSON object
     * (malformed, cut off, an array, trailing text); {@code into} may then hold a partial result.
     */
    static boolean read(String line, Map<String, Object> into) {
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == null) {
                    return false;
                }
                into.put(name, scalarOrNode(p, v));
            }
            // a truncated line ends without END_OBJECT; "{...} junk" has a token after it
            return t == JsonToken.END_OBJECT && p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * As {@link #read}, for a line cut at the maximum line size: the fields before the cut, and the object or array
     * it cut through with what it held up to there (a string or number it may have cut through is left out). False
     * when not even the object's start is there.
     */
    static boolean readCut(String line, Map<String, Object> into) {
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == null) {
                    break;
                }
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    JsonNode n = v == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                    into.put(name, n); // before it is filled: the cut leaves it with what came before
                    fillCut(p, n, line.length());
                } else if (!cutThrough(p, v, line.length())) {
                    into.put(name, scalarOrNode(p, v));
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return true; // the cut: what was read stays
        }
    }

    /** A number that ends the cut line may have been cut through ("duration":12 of 12.5): not a value to keep. */
    private static boolean cutThrough(JsonParser p, JsonToken v, int length) {
        return (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT)
                && p.currentLocation().getCharOffset() >= length;
    }

    private static void fillCut(JsonParser p, JsonNode n, int length) throws IOException {
        boolean object = n instanceof ObjectNode;
        while (true) {
            JsonToken t = p.nextToken();
            String name = null;
            if (object) {
                if (t != JsonToken.FIELD_NAME) {
                    return;
                }
                name = p.currentName();
                t = p.nextToken();
            } else if (t == JsonToken.END_ARRAY) {
                return;
            }
            if (t == null || cutThrough(p, t, length)) {
                return;
            }
            JsonNode child = t == JsonToken.START_OBJECT ? NODES.objectNode()
                    : t == JsonToken.START_ARRAY ? NODES.arrayNode() : null;
            JsonNode value = child != null ? child : node(p, t);
            if (object) {
                ((ObjectNode) n).set(name, value);
            } else {
                ((ArrayNode) n).add(value);
            }
            if (child != null) {
                fillCut(p, child, length);
            }
        }
    }

    private static Object scalarOrNode(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NullNode.getInstance();
            default:
                return node(p, v);
        }
    }

    // built by hand: readValueAsTree would need an ObjectMapper and a deserialization context for each value
    private static JsonNode node(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken inner = p.nextToken();
                    if (inner == null) {
                        throw new IOException("truncated");
                    }
                    o.set(name, node(p, inner));
                }
                if (t != JsonToken.END_OBJECT) {
                    throw new IOException("truncated");
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("truncated");
                    }
                    a.add(node(p, t));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return NODES.numberNode(p.getIntValue());
                    case LONG: return NODES.numberNode(p.getLongValue());
                    default: return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + v);
        }
    }
}
