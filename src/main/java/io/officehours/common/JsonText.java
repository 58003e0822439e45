package io.officehours.common;

import java.nio.charset.StandardCharsets;

/**
 * JSON text written by hand, for the few hot frames that are built once per chat line instead of
 * going through a {@code JsonObject} and Jackson: a string is quoted as Jackson quotes it.
 */
public final class JsonText {
  private JsonText() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Appends {@code s} as a JSON string, quotes included. */
  public static StringBuilder quote(StringBuilder out, String s) {
    out.append('"');
    int start = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(s, start, i);
      start = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.append(s, start, n).append('"');
  }

  /** JSON text as the UTF-8 bytes a frame carries. */
  public static byte[] utf8(CharSequence json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }
}
