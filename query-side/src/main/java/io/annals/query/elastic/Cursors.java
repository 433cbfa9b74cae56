package io.annals.query.elastic;

import co.elastic.clients.elasticsearch._types.FieldValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque cursors of cursor pagination: the sort values of the last item of a page, for {@code search_after},
 * bound to the list they came from so that a cursor of another list is refused rather than misread.
 */
final class Cursors {

    private static final char SEPARATOR = '\u001f';

    private Cursors() {
    }

    static String encode(String list, List<FieldValue> sortValues) {
        StringBuilder text = new StringBuilder(list);
        for (FieldValue value : sortValues) {
            text.append(SEPARATOR);
            if (value.isLong()) {
                text.append('l').append(value.longValue());
            } else if (value.isDouble()) {
                text.append('d').append(value.doubleValue());
            } else if (value.isString()) {
                text.append('s').append(value.stringValue());
            } else if (value.isBoolean()) {
                text.append('b').append(value.booleanValue());
            } else {
                text.append('n');
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<FieldValue> decode(String list, String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw notOurs(list, cursor);
        }
        String[] parts = text.split(String.valueOf(SEPARATOR), -1);
        if (!parts[0].equals(list) || parts.length < 2) {
            throw notOurs(list, cursor);
        }
        List<FieldValue> values = new ArrayList<>();
        try {
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i];
                String value = part.isEmpty() ? "" : part.substring(1);
                values.add(switch (part.isEmpty() ? '?' : part.charAt(0)) {
                    case 'l' -> FieldValue.of(Long.parseLong(value));
                    case 'd' -> FieldValue.of(Double.parseDouble(value));
                    case 's' -> FieldValue.of(value);
                    case 'b' -> FieldValue.of(Boolean.parseBoolean(value));
                    case 'n' -> FieldValue.NULL;
                    default -> throw notOurs(list, cursor);
                });
            }
        } catch (NumberFormatException e) {
            throw notOurs(list, cursor);
        }
        return values;
    }

    private static IllegalArgumentException notOurs(String list, String cursor) {
        return new IllegalArgumentException("'" + cursor + "' is not a cursor of this list (" + list
                + "); pass the endCursor or an edge cursor of a previous page");
    }
}
