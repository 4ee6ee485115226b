/** JSON string literals for the lab's Java members' output lines: one correct escaper for all of them. */
final class Json {
    private Json() { }

    /** A JSON string literal, or null: quotes, backslashes and every control character escaped. */
    static String string(String text) {
        if (text == null) return "null";
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    // U+2028/2029 are valid JSON but end a line for some readers: escaped too.
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
