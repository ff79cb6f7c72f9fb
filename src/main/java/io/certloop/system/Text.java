package io.certloop.system;

import java.util.List;

/**
 * Strings that go into bounded columns. Text a person types is checked ({@link #checkLength}: 400 naming the
 * field); text a machine produced (alert annotations, command output, a remote error) is cut ({@link #cut}),
 * so an over-long value never fails a write or a job.
 */
public final class Text {

    /** Appended to a cut text, so a reader sees it is not whole. */
    public static final String CUT_MARK = "…";

    private Text() {}

    /**
     * {@code text} when it has at most {@code max} characters (UTF-16 units, never fewer than the database
     * counts); otherwise its beginning and {@link #CUT_MARK}, {@code max} characters in all, never splitting a
     * surrogate pair. Null stays null.
     */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        if (max <= CUT_MARK.length()) {
            return text.substring(0, keep(text, max));
        }
        return text.substring(0, keep(text, max - CUT_MARK.length())) + CUT_MARK;
    }

    /** Adds an error naming {@code field} when {@code value} is longer than {@code max} characters. */
    public static void checkLength(List<FieldError> errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters, was " + value.length()));
        }
    }

    /** As {@link #checkLength(List, String, String, int)}, thrown at once. */
    public static void requireLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters, was " + value.length());
        }
    }

    private static int keep(String text, int length) {
        return length > 0 && Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length;
    }
}
