package io.officehours.common;

import java.util.Locale;

/** The roles a token may carry. */
public enum Role {
  STUDENT, TEACHER, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named on the wire, or null for anything else. */
  public static Role parse(String wire) {
    if (wire == null) return null;
    return switch (wire) {
      case "student" -> STUDENT;
      case "teacher" -> TEACHER;
      case "admin" -> ADMIN;
      default -> null;
    };
  }
}
